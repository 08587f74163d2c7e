// AccumulatorSlots: the aggregate accumulators of a running statement, by
// slot (AggStep's P3, AggFinal's P1), in raw storage the VM owns.
//
// A row of an aggregate query steps every accumulator once; kept in an array
// of optionals, each step paid a copy-on-write uniqueness check and the
// optional's unwrap through the array's accessors. Here a step mutates the
// slot in place. Invariant: slots `0..<count` are initialized (nil or an
// accumulator), the rest of the capacity is not.

final class AccumulatorSlots {
    private var base: UnsafeMutablePointer<AggregateAccumulator?>
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 4
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// The slot's accumulator, for mutation in place; `slot` must be below `count`.
    @inline(__always)
    func pointer(_ slot: Int) -> UnsafeMutablePointer<AggregateAccumulator?> { base + slot }

    /// True when the slot holds an accumulator.
    @inline(__always)
    func isStarted(_ slot: Int) -> Bool {
        guard slot < count else { return false }
        if case .some = base[slot] { return true }
        return false
    }

    /// Makes slots up to `slot` exist (empty) and puts `accumulator` in `slot`.
    func start(_ slot: Int, _ accumulator: AggregateAccumulator) {
        if slot >= capacity {
            let grown = Swift.max(capacity * 2, slot + 1)
            let newBase = UnsafeMutablePointer<AggregateAccumulator?>.allocate(capacity: grown)
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
            base = newBase
            capacity = grown
        }
        if slot >= count {
            (base + count).initialize(repeating: nil, count: slot + 1 - count)
            count = slot + 1
        }
        base[slot] = accumulator
    }

    /// Takes the slot's accumulator out (the slot becomes empty); nil when it has none.
    func take(_ slot: Int) -> AggregateAccumulator? {
        guard slot < count else { return nil }
        let a = base[slot]
        base[slot] = nil
        return a
    }

    /// Empties every slot (a statement reset).
    func removeAll() {
        base.deinitialize(count: count)
        count = 0
    }
}
