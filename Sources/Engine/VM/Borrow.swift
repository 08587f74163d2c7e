// Borrow: calling into an object through an unretained reference.
//
// Every instruction on a cursor used to load it from the VM's cursor array (a retain), then its b-tree
// cursor (another), and release both at the end: four atomic reference-count operations around each
// Column, Next or seek. `borrow` hands the object to a closure as a guaranteed reference instead, so
// the optimizer emits no retain or release. The caller must know something else keeps the object alive
// for the whole call (VM.cursors owns each VMCursor; a VMCursor owns its BTreeCursor).

import Base

/// Runs `body` on the object `reference` points to without retaining it; see the file comment for the
/// lifetime the caller guarantees.
@inline(__always)
func borrow<T: AnyObject, R>(_ reference: Unmanaged<T>, _ body: (T) throws(DBError) -> R) throws(DBError) -> R {
    do {
        return try reference._withUnsafeGuaranteedRef(body)
    } catch let error as DBError {
        throw error
    } catch {
        preconditionFailure("a typed-throws body threw \(error)")
    }
}
