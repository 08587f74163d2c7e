// Report: the results as one Markdown table (for RESULTS.md) and as
// tab-separated lines (for compare.sh, which picks the worst ratios to profile).

import Foundation

func formatDuration(_ ns: Double) -> String {
    if ns.isNaN { return "–" }
    if ns < 1_000 { return String(format: "%.0f ns", ns) }
    if ns < 1_000_000 { return String(format: "%.2f µs", ns / 1_000) }
    if ns < 1_000_000_000 { return String(format: "%.2f ms", ns / 1_000_000) }
    return String(format: "%.2f s", ns / 1_000_000_000)
}

func formatCount(_ value: Double?) -> String {
    guard let value else { return "n/a" }
    if value < 10 { return String(format: "%.1f", value) }
    return String(format: "%.0f", value)
}

func formatBytes(_ bytes: Int) -> String {
    if bytes < 1024 * 1024 { return "\(bytes / 1024) KiB" }
    return String(format: "%.1f MiB", Double(bytes) / 1_048_576)
}

enum Report {
    static let header = """
        | workload | size | one op | runs | sqlite median/op | swiftdb median/op | ratio | target | met | allocs/op sqlite | allocs/op swiftdb | peak RSS growth sqlite / swiftdb |
        |---|---|---|--:|--:|--:|--:|--:|:-:|--:|--:|--:|
        """

    static func row(_ r: WorkloadResult) -> String {
        let w = r.workload
        let ratio = r.ratio.isNaN ? "–" : String(format: "%.2f×", r.ratio)
        let met = r.ratio.isNaN ? "–" : (r.met ? "yes" : "**no**")
        return "| \(w.name) | \(w.size) | \(w.operation) | \(r.runs) | \(formatDuration(r.sqlite.medianTime)) | "
            + "\(formatDuration(r.swiftdb.medianTime)) | \(ratio) | ≤ \(String(format: "%.1f", w.target))× | \(met) | "
            + "\(formatCount(r.sqlite.medianAllocations)) | \(formatCount(r.swiftdb.medianAllocations)) | "
            + "\(formatBytes(r.sqlite.peakRSSGrowth)) / \(formatBytes(r.swiftdb.peakRSSGrowth)) |"
    }

    /// name, ratio, target, met, sqlite ns/op, swiftdb ns/op
    static func tsv(_ r: WorkloadResult) -> String {
        [r.workload.name, String(format: "%.3f", r.ratio), String(r.workload.target), r.met ? "yes" : "no",
         String(format: "%.0f", r.sqlite.medianTime), String(format: "%.0f", r.swiftdb.medianTime)]
            .joined(separator: "\t")
    }
}
