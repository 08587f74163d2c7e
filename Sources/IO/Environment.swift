// Clock and RandomSource: time and randomness, injected like I/O.
//
// Nothing in the engine reads the wall clock or a random source directly
// (DESIGN.md, decisions 2 and 6): it asks the connection's `Clock` and
// `RandomSource`. The system ones serve real use; `ManualClock` and
// `SeededRandom` make the simulator and tests deterministic.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Wall-clock time for SQL ('now') and monotonic time for timeouts.
public protocol Clock: AnyObject {
    /// Milliseconds since the Unix epoch.
    func unixTimeMilliseconds() -> Int64
    /// A monotonic reading in nanoseconds (busy timeouts, benchmarks).
    func monotonicNanoseconds() -> UInt64
    /// Sleeps (busy-wait loops); the simulated clock advances instead.
    func sleep(milliseconds: Int)
}

/// The system's clocks.
public final class SystemClock: Clock {
    public init() {}
    public func unixTimeMilliseconds() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
    public func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
    public func sleep(milliseconds: Int) {
        usleep(useconds_t(max(0, milliseconds) * 1000))
    }
}

/// A clock that moves only when told to (simulation, tests).
public final class ManualClock: Clock {
    public var nowMilliseconds: Int64
    public var monotonic: UInt64 = 0
    public init(unixTimeMilliseconds: Int64) { nowMilliseconds = unixTimeMilliseconds }
    public func unixTimeMilliseconds() -> Int64 { nowMilliseconds }
    public func monotonicNanoseconds() -> UInt64 { monotonic }
    public func sleep(milliseconds: Int) {
        nowMilliseconds += Int64(milliseconds)
        monotonic += UInt64(milliseconds) * 1_000_000
    }
}

/// A source of random 64-bit words (random(), randomblob(), rowids after 2^63-1, journal nonces).
public protocol RandomSource: AnyObject {
    func nextUInt64() -> UInt64
}

/// The operating system's random source, buffered.
public final class SystemRandom: RandomSource {
    private var buffer = [UInt64](repeating: 0, count: 32)
    private var index = 32
    public init() {}
    public func nextUInt64() -> UInt64 {
        if index == buffer.count {
            // getentropy: at most 256 bytes a call, which is exactly the buffer.
            let ok = buffer.withUnsafeMutableBytes { b in getentropy(b.baseAddress!, b.count) == 0 }
            if !ok {
                // No OS randomness: fall back to the clock, still never deterministic by accident.
                let s = SeededRandom(seed: SystemClock().monotonicNanoseconds())
                for i in 0..<32 { buffer[i] = s.nextUInt64() }
            }
            index = 0
        }
        defer { index += 1 }
        return buffer[index]
    }
}

/// A seeded generator (SplitMix64): the same seed gives the same sequence.
public final class SeededRandom: RandomSource {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public func nextUInt64() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
