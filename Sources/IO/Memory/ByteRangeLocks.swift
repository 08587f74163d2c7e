// ByteRangeLocks: POSIX advisory byte-range locks for back-ends without a
// kernel (the memory and simulated back-ends).
//
// Invariants: an owner never conflicts with itself; a shared lock conflicts
// only with another owner's exclusive lock over an overlapping range, an
// exclusive one with any other owner's lock there; a new lock or an unlock
// replaces the owner's locks lying wholly inside its range (POSIX: the newest
// lock on a byte wins). Length 0 means "to the end of the file".

struct ByteRangeLocks<Owner: Equatable> {
    private var locks: [(owner: Owner, offset: Int64, length: Int64, exclusive: Bool)] = []

    private static func end(_ offset: Int64, _ length: Int64) -> Int64 { length == 0 ? Int64.max : offset + length }

    /// Takes or releases a lock; false (and nothing changed) when another owner's lock conflicts.
    mutating func lock(owner: Owner, offset: Int64, length: Int64, kind: FileLockKind) -> Bool {
        let end = Self.end(offset, length)
        if kind != .unlock {
            for l in locks where l.owner != owner && l.offset < end && offset < Self.end(l.offset, l.length)
                && (l.exclusive || kind == .exclusive) {
                return false
            }
        }
        locks.removeAll { $0.owner == owner && $0.offset >= offset && Self.end($0.offset, $0.length) <= end }
        if kind != .unlock { locks.append((owner, offset, length, kind == .exclusive)) }
        return true
    }

    /// Drops every lock of `owner` (its file was closed).
    mutating func release(owner: Owner) { locks.removeAll { $0.owner == owner } }

    /// Drops every lock (a power cut ended every process).
    mutating func releaseAll() { locks.removeAll() }
}
