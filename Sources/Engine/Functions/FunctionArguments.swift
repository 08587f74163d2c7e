// FunctionArguments: the arguments of one function call, as a view over VM registers.
//
// Safety: a `FunctionArguments` holds an UnsafePointer to `count` initialized, contiguous
// `Value`s (a run of the VM's registers) that the caller keeps alive and unmodified for the
// duration of the call; it is only ever passed down the stack (never stored), and bodies
// read it through the bounds-checked subscript. `withArguments` builds one over an array for
// tests and for callers that hold arguments in an array. Reading an argument borrows the
// register in place (`unsafeAddress`): no copy, no retain.

import Base

/// The arguments of one SQL function call (a borrowed run of registers).
struct FunctionArguments {
    /// The first argument's register (nil only when `count` is 0).
    let base: UnsafePointer<Value>?
    /// The number of arguments.
    let count: Int

    /// A view over `count` values at `base`; see the file header for the lifetime contract.
    @inline(__always)
    init(base: UnsafePointer<Value>?, count: Int) {
        assert(count == 0 || base != nil)
        self.base = base
        self.count = count
    }

    /// The `index`-th argument (0-based). Traps on an index outside 0..<count (a programmer error).
    @inline(__always)
    subscript(index: Int) -> Value {
        unsafeAddress {
            precondition(index >= 0 && index < count, "function argument index out of range")
            return base.unsafelyUnwrapped + index
        }
    }

    /// True when there are no arguments.
    @inline(__always) var isEmpty: Bool { count == 0 }

    /// Calls `body` with a view over `values`.
    static func withArguments<R, E: Error>(_ values: [Value],
                                           _ body: (FunctionArguments) throws(E) -> R) throws(E) -> R {
        let result: Result<R, E> = values.withUnsafeBufferPointer { buffer in
            do throws(E) {
                return .success(try body(FunctionArguments(base: buffer.baseAddress, count: buffer.count)))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}
