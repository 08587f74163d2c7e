// Value identity and ResultCode numbering, as the rest of the engine relies on them.
import Testing
@testable import Base

@Suite struct ValueTests {
    @Test func equalityIsIdentityOfClassAndBits() {
        #expect(Value.real(0.0) != Value.real(-0.0))
        #expect(Value.integer(1) != Value.real(1.0))
        #expect(Value.text("a") == Value.text([0x61]))
        #expect(Value.text("a") != Value.blob([0x61]))
        #expect(Value.null == Value.null)
    }

    @Test func extendedCodesKeepTheirPrimary() {
        #expect(ResultCode.ioerrFsync.rawValue == 1034)
        #expect(ResultCode.ioerrFsync.primary == .ioerr)
        #expect(ResultCode.constraintUnique.rawValue == 2067)
        #expect(ResultCode.corrupt.defaultMessage == "database disk image is malformed")
        #expect(ResultCode.abortRollback.defaultMessage == "abort due to ROLLBACK")
    }
}
