package dev.vmm.core.x86;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DecoderTest {
    private static Instruction decode(String hex, int mode) throws DecodeException {
        return Decoder.decode(HexFormat.of().parseHex(hex.replace(" ", "")), mode);
    }

    @Test
    void ovmfsSecFpuSetup() throws DecodeException {
        // 0xfffd27d4 in Debian's OVMF: fwait; fninit; fldcw [rip+0x1447]
        Instruction fwait = decode("9b db e3 d9 2d 47 14 00 00", 64);
        assertThat(fwait.opcode()).isEqualTo(0x9b);
        assertThat(fwait.length()).isEqualTo(1);
        Instruction fninit = decode("db e3", 64);
        assertThat(fninit.opcode()).isEqualTo(0xdb);
        assertThat(fninit.memory()).isNull();
        assertThat(fninit.digit()).isEqualTo(4);
        assertThat(fninit.rm()).isEqualTo(3);
        Instruction fldcw = decode("d9 2d 47 14 00 00", 64);
        assertThat(fldcw.digit()).isEqualTo(5);
        assertThat(fldcw.length()).isEqualTo(6);
        assertThat(fldcw.memory()).isEqualTo(new MemoryOperand(MemoryOperand.Segment.DS, -1, -1, 1, 0x1447, true, 8));
    }

    @Test
    void sibDisplacementRexAndPrefixes() throws DecodeException {
        // f3 41 0f 7f 44 24 10 = movdqu [r12 + 0x10], xmm0 ... with REX.B: base r12 via SIB
        Instruction movdqu = decode("f3 41 0f 7f 44 24 10", 64);
        assertThat(movdqu.opcode()).isEqualTo(0x0f7f);
        assertThat(movdqu.mandatoryPrefix()).isEqualTo(0xf3);
        // Only rSP and rBP (encodings 4 and 5 without REX.B) default to SS; r12 takes DS.
        assertThat(movdqu.memory()).isEqualTo(new MemoryOperand(MemoryOperand.Segment.DS, 12, -1, 1, 0x10, false, 8));
        assertThat(movdqu.length()).isEqualTo(7);
        // 44 0f 28 3c c8 = movaps xmm15, [rax + rcx*8]
        Instruction movaps = decode("44 0f 28 3c c8", 64);
        assertThat(movaps.reg()).isEqualTo(15);
        assertThat(movaps.memory()).isEqualTo(new MemoryOperand(MemoryOperand.Segment.DS, 0, 1, 8, 0, false, 8));
        // 0f ae 14 25 00 10 00 00 = ldmxcsr [0x1000] (SIB, no base, disp32)
        Instruction ldmxcsr = decode("0f ae 14 25 00 10 00 00", 64);
        assertThat(ldmxcsr.digit()).isEqualTo(2);
        assertThat(ldmxcsr.memory()).isEqualTo(new MemoryOperand(MemoryOperand.Segment.DS, -1, -1, 1, 0x1000, false, 8));
        // 48 0f ae 07 = fxsave64 [rdi]
        assertThat(decode("48 0f ae 07", 64).operandSize()).isEqualTo(8);
    }

    @Test
    void thirtyTwoAndSixteenBitAddressing() throws DecodeException {
        // 32-bit: d9 3d 00 20 00 00 = fnstcw [0x2000] (absolute, not RIP-relative)
        assertThat(decode("d9 3d 00 20 00 00", 32).memory())
                .isEqualTo(new MemoryOperand(MemoryOperand.Segment.DS, -1, -1, 1, 0x2000, false, 4));
        // 16-bit: d9 7e fe = fnstcw [bp - 2], SS by default
        assertThat(decode("d9 7e fe", 16).memory())
                .isEqualTo(new MemoryOperand(MemoryOperand.Segment.SS, 5, -1, 1, -2, false, 2));
        // 16-bit with 67: 32-bit addressing; 2e segment override
        assertThat(decode("2e 67 d9 2d 10 00 00 00", 16).memory())
                .isEqualTo(new MemoryOperand(MemoryOperand.Segment.CS, -1, -1, 1, 0x10, false, 4));
    }

    @Test
    void truncatedBytesAreAnError() {
        assertThatThrownBy(() -> decode("d9 2d 47", 64)).isInstanceOf(DecodeException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> decode("66".repeat(15), 64)).hasMessageContaining("prefixes");
    }
}
