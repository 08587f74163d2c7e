// Parser+Window: window definitions, https://sqlite.org/windowfunctions.html.
//
// parse.y's `window`: `[base] [PARTITION BY exprs] [ORDER BY terms] [frame]`,
// where a frame is `RANGE|ROWS|GROUPS bound` or `… BETWEEN bound AND bound`,
// with `EXCLUDE NO OTHERS|CURRENT ROW|GROUP|TIES`. A start bound cannot be
// UNBOUNDED FOLLOWING and an end bound cannot be UNBOUNDED PRECEDING (grammar).
// PARTITION, RANGE, ROWS, GROUPS, UNBOUNDED and CURRENT are keywords where they
// begin these clauses and identifiers elsewhere (%fallback ID). Used by OVER (…)
// and the WINDOW clause; `lastHeight` is the definition's largest expression height.

extension Parser {
    /// `WINDOW name AS (definition), …`.
    mutating func parseWindowClause() throws(ParseFailure) -> [NamedWindow] {
        let base = stackDepth
        try advance()
        var windows: [NamedWindow] = []
        repeat {
            if !windows.isEmpty { try advance() }
            let name = try parseName()
            try expect(.kwAs)
            try expect(.leftParen)
            let definition = try parseWindowDefinition()
            try expect(.rightParen)
            windows.append(NamedWindow(name: name, definition: definition))
            reduce(base + 1)
        } while current.kind == .comma
        reduce(base)
        return windows
    }

    /// The inside of `( … )` after OVER or `name AS`.
    mutating func parseWindowDefinition() throws(ParseFailure) -> WindowDefinition {
        let base = stackDepth
        let start = current.start
        var definition = WindowDefinition()
        var height = 0
        let kind = current.kind
        let startsClause = kind == .kwPartition || kind == .kwOrder || kind == .kwRange
            || kind == .kwRows || kind == .kwGroups
        if !startsClause && kind.isName {
            definition.base = try parseName()
        }
        if current.kind == .kwPartition {
            try advance()
            try expect(.kwBy)
            definition.partitionBy = try parseExprList(allowEmpty: false)
            height = lastHeight
            definition.orderBy = try parseOptionalOrderBy()
            height = Swift.max(height, lastHeight)
        } else if current.kind == .kwOrder {
            try advance()
            try expect(.kwBy)
            definition.orderBy = try parseOrderingTerms()
            height = lastHeight
        }
        definition.frame = try parseOptionalFrame(height: &height)
        definition.range = SourceRange(start: start, end: previousEnd)
        reduce(base)
        lastHeight = height
        return definition
    }

    /// `frame_opt`.
    mutating func parseOptionalFrame(height: inout Int) throws(ParseFailure) -> FrameSpec? {
        let units: FrameSpec.Units
        switch current.kind {
        case .kwRange: units = .range
        case .kwRows: units = .rows
        case .kwGroups: units = .groups
        default:
            try push()
            return nil
        }
        let base = stackDepth
        try advance()
        var frame: FrameSpec
        if current.kind == .kwBetween {
            try advance()
            let start = try parseFrameBound(isStart: true, height: &height)
            try expect(.kwAnd)
            let end = try parseFrameBound(isStart: false, height: &height)
            frame = FrameSpec(units: units, start: start, end: end)
        } else {
            frame = FrameSpec(units: units, start: try parseFrameBound(isStart: true, height: &height))
        }
        if current.kind == .kwExclude {
            try advance()
            switch current.kind {
            case .kwNo:
                try advance()
                try expect(.kwOthers)
                frame.exclude = .noOthers
            case .kwCurrent:
                try advance()
                try expect(.kwRow)
                frame.exclude = .currentRow
            case .kwGroup:
                try advance()
                frame.exclude = .group
            case .kwTies:
                try advance()
                frame.exclude = .ties
            default:
                throw syntaxError()
            }
        }
        reduce(base)
        checkFrameBounds(frame)
        return frame
    }

    /// sqlite3WindowAlloc's rule: the start may not come after the end in the order
    /// UNBOUNDED PRECEDING, n PRECEDING, CURRENT ROW, n FOLLOWING, UNBOUNDED FOLLOWING.
    mutating func checkFrameBounds(_ frame: FrameSpec) {
        let end = frame.end ?? .currentRow
        var unsupported = false
        switch (frame.start, end) {
        case (.currentRow, .preceding), (.following, .preceding), (.following, .currentRow): unsupported = true
        default: break
        }
        if unsupported { fail("unsupported frame specification") }
    }

    /// `frame_bound_s` (`isStart`) or `frame_bound_e`.
    mutating func parseFrameBound(isStart: Bool, height: inout Int) throws(ParseFailure) -> FrameBound {
        let base = stackDepth
        defer { reduce(base) }
        switch current.kind {
        case .kwUnbounded:
            try advance()
            try expect(isStart ? .kwPreceding : .kwFollowing)
            return isStart ? .unboundedPreceding : .unboundedFollowing
        case .kwCurrent:
            try advance()
            try expect(.kwRow)
            return .currentRow
        default:
            let expr = try parseExpr()
            height = Swift.max(height, lastHeight)
            switch current.kind {
            case .kwPreceding:
                try advance()
                return .preceding(expr)
            case .kwFollowing:
                try advance()
                return .following(expr)
            default:
                throw syntaxError()
            }
        }
    }
}
