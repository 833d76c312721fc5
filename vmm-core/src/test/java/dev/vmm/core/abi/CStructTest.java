package dev.vmm.core.abi;

import static dev.vmm.core.abi.CStruct.bytes;
import static dev.vmm.core.abi.CStruct.struct;
import static dev.vmm.core.abi.CStruct.u16;
import static dev.vmm.core.abi.CStruct.u32;
import static dev.vmm.core.abi.CStruct.u64;
import static dev.vmm.core.abi.CStruct.u8;
import static dev.vmm.core.abi.CStruct.union;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.StructLayout;
import org.junit.jupiter.api.Test;

class CStructTest {
    @Test
    void placesMembersWithNaturalAlignmentAndTrailingPadding() {
        // struct { u8 a; u64 b; u16 c; } is 24 bytes in C: b at 8, c at 16, 6 bytes of tail padding.
        StructLayout s = struct("t", u8("a"), u64("b"), u16("c"));
        assertThat(s.byteSize()).isEqualTo(24);
        assertThat(CStruct.offset(s, "b")).isEqualTo(8);
        assertThat(CStruct.offset(s, "c")).isEqualTo(16);
    }

    @Test
    void packedStructsHaveNoPadding() {
        StructLayout s = CStruct.packed("p", u8("a"), u64("b"), u16("c"));
        assertThat(s.byteSize()).isEqualTo(11);
        assertThat(CStruct.offset(s, "c")).isEqualTo(9);
    }

    @Test
    void anonymousMembersAreReachedDirectly() {
        StructLayout s = struct("t", u32("kind"),
                union(null, struct("io", u16("port"), u16("size")), struct("mmio", u64("addr")), bytes("padding", 32)));
        assertThat(s.byteSize()).isEqualTo(40);
        assertThat(CStruct.offset(s, "io.size")).isEqualTo(10);
        assertThat(CStruct.offset(s, "mmio.addr")).isEqualTo(8);
        assertThat(CStruct.member(s, "padding").byteSize()).isEqualTo(32);
        assertThatThrownBy(() -> CStruct.offset(s, "io.nope")).hasMessageContaining("no member io.nope");
    }
}
