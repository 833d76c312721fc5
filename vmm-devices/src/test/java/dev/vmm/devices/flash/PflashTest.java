package dev.vmm.devices.flash;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.devices.bus.IoData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PflashTest {
    private static final int SIZE = 128 * 1024;
    private static final int BLOCK = Pflash.BLOCK_SIZE;
    private static final Path DEBIAN_VARS = Path.of("/usr/share/OVMF/OVMF_VARS.fd");

    @TempDir
    Path dir;
    private final List<Pflash> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(Pflash::close);
    }

    // --- OVMF's flash detection ---------------------------------------------------------------

    enum Verdict { NO_PROBE_LOCATION, RAM, ROM, FLASH, FLASH_WRITE_PROTECTED, NONE }

    /**
     * QemuFlashDetected() of OvmfPkg/QemuFlashFvbServicesRuntimeDxe/QemuFlash.c at edk2-stable202211
     * (the path without SEV-ES), statement by statement, reading through what the guest sees.
     */
    private static Verdict qemuFlashDetected202211(Guest g) {
        int offset;
        int probe;
        for (offset = 0; offset < BLOCK; offset++) {
            probe = g.read(offset);
            if (probe != 0x50 && probe != 0x70 && probe != 0x00) {
                break;
            }
        }
        if (offset >= BLOCK) {
            return Verdict.NO_PROBE_LOCATION;
        }
        g.probeOffset = offset;
        int original = g.read(offset);
        g.write(offset, 0x50); // CLEAR_STATUS_CMD
        probe = g.read(offset);
        if (original != 0x50 && probe == 0x50) {
            g.write(offset, original);
            return Verdict.RAM;
        }
        g.write(offset, 0x70); // READ_STATUS_CMD
        probe = g.read(offset);
        if (probe == original) {
            return Verdict.ROM;
        } else if (probe == 0x70) {
            g.write(offset, original);
            return Verdict.RAM;
        } else if (probe == 0x00) { // CLEARED_ARRAY_STATUS
            g.write(offset, 0xff); // READ_ARRAY_CMD
            return Verdict.FLASH;
        }
        return Verdict.NONE;
    }

    /** The refined detection of later edk2 (tianocore/edk2 PR 4322, 2023): also tries a program. */
    private static Verdict qemuFlashDetectedRefined(Guest g) {
        int offset;
        for (offset = 0; offset < BLOCK; offset++) {
            int probe = g.read(offset);
            if (probe != 0x50 && probe != 0x70 && probe != 0x00) {
                break;
            }
        }
        int original = g.read(offset);
        g.write(offset, 0x50);
        int probe = g.read(offset);
        if (original != 0x50 && probe == 0x50) {
            g.write(offset, original);
            return Verdict.RAM;
        }
        g.write(offset, 0x70);
        probe = g.read(offset);
        if (probe == original) {
            return Verdict.ROM;
        } else if (probe == 0x70) {
            g.write(offset, original);
            return Verdict.RAM;
        } else if (probe == 0x00) {
            g.write(offset, 0x10); // WRITE_BYTE_CMD
            g.write(offset, original);
            g.write(offset, 0x70);
            probe = g.read(offset);
            g.write(offset, 0xff);
            return (probe & 0x10) != 0 ? Verdict.FLASH_WRITE_PROTECTED : Verdict.FLASH;
        }
        return Verdict.NONE;
    }

    @Test
    void ovmf202211DetectsFlash() throws IOException {
        Path file = varstoreLike();
        byte[] before = Files.readAllBytes(file);
        Guest g = new Guest(open(file, false));
        assertThat(qemuFlashDetected202211(g)).isEqualTo(Verdict.FLASH);
        assertThat(g.probeOffset).as("the first byte not 0x00/0x50/0x70").isEqualTo(0x10);
        assertThat(g.flash.inArrayMode()).isTrue();
        assertThat(g.romd).as("unmapped for the status read, mapped again by 0xFF").containsExactly(true, false, true);
        assertThat(Files.readAllBytes(file)).as("the probe changes nothing").isEqualTo(before);
    }

    @Test
    void withoutRomdSwitchingTheProbeWouldSeeRom() throws IOException {
        // The reason for the listener: a slot left mapped answers the status read with the array byte.
        Guest g = new Guest(open(varstoreLike(), false));
        g.ignoreRomd = true;
        assertThat(qemuFlashDetected202211(g)).isEqualTo(Verdict.ROM);
    }

    @Test
    void laterEdk2DetectsWritableFlashAndWriteProtectedFlash() throws IOException {
        Path file = varstoreLike();
        byte[] before = Files.readAllBytes(file);
        Pflash writable = open(file, false);
        assertThat(qemuFlashDetectedRefined(new Guest(writable))).isEqualTo(Verdict.FLASH);
        writable.close();
        assertThat(qemuFlashDetectedRefined(new Guest(open(file, true)))).isEqualTo(Verdict.FLASH_WRITE_PROTECTED);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void debianVarstoreIsDetectedAsFlash() throws IOException {
        assertThat(DEBIAN_VARS).as("Debian's ovmf package (.ci/setup installs it)").isReadable();
        Path file = dir.resolve("OVMF_VARS.fd");
        Files.copy(DEBIAN_VARS, file);
        byte[] before = Files.readAllBytes(file);
        Guest g = new Guest(open(file, false));
        assertThat(qemuFlashDetected202211(g)).isEqualTo(Verdict.FLASH);
        assertThat(g.probeOffset).as("[RUN] QEMU trace: probe at 0xFFE00010").isEqualTo(0x10);
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    // --- commands ---------------------------------------------------------------------------------

    @Test
    void statusIsReadyAtPowerOnAndZeroAfterClearStatus() throws IOException {
        Pflash f = open(varstoreLike(), false);
        write(f, 0x123, Pflash.READ_STATUS);
        assertThat(read(f, 0x5000)).as("any address reads the status").isEqualTo(0x80);
        write(f, 0, Pflash.CLEAR_STATUS);
        assertThat(f.inArrayMode()).as("clear status returns to read array").isTrue();
        write(f, 0, Pflash.READ_STATUS);
        assertThat(read(f, 0)).isZero();
    }

    @Test
    void readIdentifier() throws IOException {
        Pflash f = open(varstoreLike(), false);
        write(f, 0, Pflash.READ_IDENTIFIER);
        assertThat(read(f, 0)).isEqualTo(0x89);
        assertThat(read(f, 1)).isEqualTo(0x18);
        assertThat(read(f, 2)).as("block lock status: unlocked").isZero();
        assertThat(read(f, 0x1000)).as("offsets repeat every 256 bytes").isEqualTo(0x89);
        assertThat(read(f, 0, 2)).isEqualTo(0x1889);
        write(f, 0, Pflash.READ_ARRAY);
        assertThat(read(f, 0x10)).isEqualTo(0x8d);
    }

    @Test
    void cfiQueryDescribes128KiBOf4KiBBlocks() throws IOException {
        Pflash f = open(varstoreLike(), false);
        write(f, 0x55, Pflash.CFI_QUERY);
        assertThat(bytes(f, 0x10, 3)).isEqualTo("QRY".getBytes());
        assertThat(read(f, 0x13, 2)).as("Intel/Sharp command set").isEqualTo(0x0001);
        assertThat(read(f, 0x15, 2)).as("extended table address").isEqualTo(0x0031);
        assertThat(read(f, 0x27)).as("2^17 bytes").isEqualTo(17);
        assertThat(read(f, 0x28, 2)).isEqualTo(0x0002);
        assertThat(read(f, 0x2a)).isEqualTo(8);
        assertThat(read(f, 0x2c)).as("one erase region").isEqualTo(1);
        assertThat(read(f, 0x2d, 2)).as("32 blocks, minus one").isEqualTo(31);
        assertThat(read(f, 0x2f, 2)).as("block size / 256").isEqualTo(0x0010);
        assertThat(bytes(f, 0x31, 5)).isEqualTo("PRI10".getBytes());
        assertThat(read(f, 0x3f)).isEqualTo(1);
        assertThat(read(f, 0x00)).isZero();
        assertThat(read(f, 0x52)).as("past QEMU's table").isZero();
        write(f, 0, 0xff);
        assertThat(f.inArrayMode()).isTrue();
    }

    @Test
    void cfiGeometryFollowsTheFileSize() throws IOException {
        Pflash f = open(file(0x84000), false); // OVMF_VARS_4M.fd: 528 KiB
        write(f, 0, Pflash.CFI_QUERY);
        assertThat(read(f, 0x2d, 2)).isEqualTo(132 - 1);
        assertThat(read(f, 0x27)).as("QEMU's trailing-zero count for a size that is no power of two").isEqualTo(14);
        assertThat(CfiTable.build(SIZE, BLOCK)).hasSize(0x52);
    }

    @Test
    void byteProgramGoesToTheFileAtOnce() throws IOException {
        Path file = varstoreLike();
        Pflash f = open(file, false);
        write(f, 0x2345, Pflash.PROGRAM);
        write(f, 0x2345, 0x42);
        assertThat(read(f, 0x2345)).as("status after the program").isEqualTo(0x80);
        assertThat(Files.readAllBytes(file)[0x2345]).isEqualTo((byte) 0x42);
        write(f, 0x2345, Pflash.READ_ARRAY);
        assertThat(read(f, 0x2345)).isEqualTo(0x42);
        assertThat(f.arrayMemory().get(JAVA_BYTE, 0x2345)).as("what a mapped slot shows").isEqualTo((byte) 0x42);
        write(f, 0x2346, Pflash.PROGRAM_ALT);
        write(f, 0x2346, 0x43);
        write(f, 0x2346, Pflash.READ_ARRAY);
        f.close();
        assertThat(Files.readAllBytes(file)[0x2346]).isEqualTo((byte) 0x43);
        assertThat(read(open(file, false), 0x2345, 2)).as("after a reopen").isEqualTo(0x4342);
    }

    @Test
    void ovmfWriteSequenceProgramsEveryByte() throws IOException {
        Path file = varstoreLike();
        Guest g = new Guest(open(file, false));
        byte[] payload = "VarStore!".getBytes();
        long at = 2 * BLOCK + 0x40;
        // QemuFlashWrite: for each byte WRITE_BYTE_CMD then the byte, then READ_ARRAY at the last one.
        for (int i = 0; i < payload.length; i++) {
            g.write(at + i, 0x10);
            g.write(at + i, payload[i] & 0xff);
        }
        g.write(at + payload.length - 1, 0xff);
        assertThat(Arrays.copyOfRange(Files.readAllBytes(file), (int) at, (int) at + payload.length)).isEqualTo(payload);
        assertThat(g.romd).containsExactly(true, false, true);
        for (int i = 0; i < payload.length; i++) {
            assertThat(g.read(at + i)).isEqualTo(payload[i] & 0xff);
        }
    }

    @Test
    void blockEraseOnConfirmFillsTheBlockAndTheFile() throws IOException {
        Path file = varstoreLike();
        byte[] before = Files.readAllBytes(file);
        Guest g = new Guest(open(file, false));
        // QemuFlashEraseBlock: BLOCK_ERASE_CMD, BLOCK_ERASE_CONFIRM_CMD at the block's first byte.
        g.write(BLOCK, 0x20);
        assertThat(Files.readAllBytes(file)).as("nothing erased before the confirm").isEqualTo(before);
        g.write(BLOCK, 0xd0);
        byte[] after = Files.readAllBytes(file);
        byte[] erased = new byte[BLOCK];
        Arrays.fill(erased, (byte) 0xff);
        assertThat(Arrays.copyOfRange(after, BLOCK, 2 * BLOCK)).isEqualTo(erased);
        assertThat(Arrays.copyOfRange(after, 0, BLOCK)).isEqualTo(Arrays.copyOfRange(before, 0, BLOCK));
        assertThat(Arrays.copyOfRange(after, 2 * BLOCK, SIZE)).isEqualTo(Arrays.copyOfRange(before, 2 * BLOCK, SIZE));
        // OVMF writes no READ_ARRAY after an erase: the chip stays in status mode, as in QEMU.
        assertThat(g.read(BLOCK + 5)).isEqualTo(0x80);
        g.write(0, 0xff);
        assertThat(g.read(BLOCK + 5)).isEqualTo(0xff);
        assertThat(g.romd).containsExactly(true, false, true);
    }

    @Test
    void eraseUsesTheBlockOfTheSetupAddress() throws IOException {
        Path file = varstoreLike();
        Pflash f = open(file, false);
        write(f, 3 * BLOCK + 0x123, Pflash.BLOCK_ERASE);
        write(f, 0, Pflash.CONFIRM);
        byte[] after = Files.readAllBytes(file);
        assertThat(after[3 * BLOCK]).isEqualTo((byte) 0xff);
        assertThat(after[4 * BLOCK - 1]).isEqualTo((byte) 0xff);
        assertThat(after[4 * BLOCK]).isNotEqualTo((byte) 0xff);
    }

    @Test
    void eraseCancelledOrBadlyConfirmedErasesNothing() throws IOException {
        Path file = varstoreLike();
        byte[] before = Files.readAllBytes(file);
        Pflash f = open(file, false);
        write(f, BLOCK, Pflash.BLOCK_ERASE);
        write(f, BLOCK, Pflash.READ_ARRAY);
        assertThat(f.inArrayMode()).isTrue();
        write(f, BLOCK, Pflash.BLOCK_ERASE);
        write(f, BLOCK, 0x42);
        assertThat(f.inArrayMode()).isTrue();
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void unknownCommandsReturnToReadArray() throws IOException {
        Pflash f = open(varstoreLike(), false);
        write(f, 0, Pflash.READ_STATUS);
        write(f, 0, 0xe8); // buffered program: not modelled
        assertThat(f.inArrayMode()).isTrue();
        write(f, 0, Pflash.READ_IDENTIFIER);
        write(f, 0, 0x33);
        assertThat(f.inArrayMode()).isTrue();
        for (int readArray : new int[] {0x00, 0xf0, 0xff}) {
            write(f, 0, Pflash.READ_STATUS);
            write(f, 0, readArray);
            assertThat(f.inArrayMode()).isTrue();
        }
    }

    @Test
    void lockCommandsAreAcceptedAndChangeNothing() throws IOException {
        Pflash f = open(varstoreLike(), false);
        write(f, 0, Pflash.LOCK_SETUP);
        write(f, 0, Pflash.LOCK_BIT);
        assertThat(read(f, 0)).isEqualTo(0x80);
        write(f, 0, Pflash.LOCK_SETUP);
        write(f, 0, Pflash.CONFIRM);
        write(f, 0, Pflash.PROGRAM);
        write(f, 0, 0x77);
        assertThat(read(f, 0)).as("no programming error: blocks are never locked").isEqualTo(0x80);
    }

    @Test
    void readOnlyFlashFailsProgramAndEraseWithErrorBits() throws IOException {
        Path file = varstoreLike();
        byte[] before = Files.readAllBytes(file);
        Pflash f = open(file, true);
        assertThat(f.isReadOnly()).isTrue();
        write(f, 0x20, Pflash.PROGRAM);
        write(f, 0x20, 0x00);
        assertThat(read(f, 0)).isEqualTo(0x80 | 0x10);
        write(f, 0, Pflash.CLEAR_STATUS);
        write(f, 0, Pflash.BLOCK_ERASE);
        write(f, 0, Pflash.CONFIRM);
        assertThat(read(f, 0)).isEqualTo(0x80 | 0x20);
        f.close();
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
    }

    @Test
    void widerAccessesAreConsecutiveBytes() throws IOException {
        Path file = varstoreLike();
        Pflash f = open(file, false);
        assertThat(read(f, 0x10, 4)).isEqualTo(Integer.toUnsignedLong(le32(Files.readAllBytes(file), 0x10)));
        write(f, 0x400, Pflash.PROGRAM);
        write(f, 0x400, 2, 0xbeef);
        assertThat(read(f, 0x400, 4)).as("status in every byte").isEqualTo(0x8080_8080L);
        write(f, 0x400, Pflash.READ_ARRAY);
        assertThat(read(f, 0x400, 2)).isEqualTo(0xbeef);
        assertThat(read(f, SIZE - 2, 4) >>> 16).as("bytes past the end").isEqualTo(0xffff);
    }

    @Test
    void romdListenerHearsEveryModeChangeInOrder() throws IOException {
        Pflash f = open(varstoreLike(), false);
        List<Boolean> events = new ArrayList<>();
        f.setRomdListener(events::add);
        assertThat(events).as("told the current mode at once").containsExactly(true);
        write(f, 0, Pflash.CLEAR_STATUS); // array to array: nothing to change
        write(f, 0, Pflash.READ_STATUS);
        write(f, 0, Pflash.READ_STATUS);
        write(f, 0, Pflash.CFI_QUERY);
        write(f, 0, Pflash.READ_ARRAY);
        write(f, 0, Pflash.READ_ARRAY);
        write(f, 0, Pflash.PROGRAM);
        write(f, 0, 0x12);
        write(f, 0, Pflash.PROGRAM);
        write(f, 0, 0x13);
        write(f, 0, Pflash.READ_ARRAY);
        assertThat(events).containsExactly(true, false, true, false, true);
    }

    @Test
    void arrayMemoryIsAReadOnlyViewOfTheWholeFile() throws IOException {
        Path file = varstoreLike();
        Pflash f = open(file, false);
        MemorySegment view = f.arrayMemory();
        assertThat(view.isReadOnly()).isTrue();
        assertThat(view.byteSize()).isEqualTo(SIZE).isEqualTo(f.size());
        assertThat(view.address() % 4096).as("page aligned, as a memory slot needs").isZero();
        assertThat(view.toArray(JAVA_BYTE)).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void aFlashImageIsOpenedOnce() throws IOException {
        Path file = varstoreLike();
        open(file, false);
        assertThatThrownBy(() -> Pflash.open(file, false)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use");
    }

    @Test
    void badImagesAreRefusedWithTheirName() throws IOException {
        Path odd = dir.resolve("odd.fd");
        Files.write(odd, new byte[1000]);
        assertThatThrownBy(() -> Pflash.open(odd, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("odd.fd").hasMessageContaining("multiple of 4096");
        Path empty = dir.resolve("empty.fd");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> Pflash.open(empty, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Pflash.open(dir.resolve("missing.fd"), false))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("missing.fd: no such flash image");
        Pflash ok = open(odd.resolveSibling("ok.fd"), SIZE);
        assertThat(ok.size()).isEqualTo(SIZE);
    }

    @Test
    void aClosedFlashRefusesAccesses() throws IOException {
        Pflash f = open(varstoreLike(), false);
        f.close();
        f.close();
        assertThatThrownBy(() -> read(f, 0)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> write(f, 0, 0xff)).isInstanceOf(IllegalStateException.class);
    }

    // --- helpers ------------------------------------------------------------------------------------

    /** The guest's view: reads come from the mapped slot while the device says romd, else exit. */
    private static final class Guest implements RomdListener {
        final Pflash flash;
        final List<Boolean> romd = new ArrayList<>();
        boolean mapped;
        boolean ignoreRomd;
        int probeOffset = -1;

        Guest(Pflash flash) {
            this.flash = flash;
            flash.setRomdListener(this);
        }

        @Override
        public void romd(boolean arrayMode) {
            romd.add(arrayMode);
            mapped = arrayMode || ignoreRomd;
        }

        int read(long offset) {
            return mapped ? flash.arrayMemory().get(JAVA_BYTE, offset) & 0xff : (int) PflashTest.read(flash, offset);
        }

        void write(long offset, int value) {
            PflashTest.write(flash, offset, value); // writes to a read-only slot always exit
        }
    }

    /** 128 KiB like a varstore: a zero vector, then 0x8D at 0x10 (EFI_SYSTEM_NV_DATA_FV_GUID's first byte). */
    private Path varstoreLike() throws IOException {
        byte[] b = new byte[SIZE];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        Arrays.fill(b, 0, 16, (byte) 0);
        b[0x10] = (byte) 0x8d;
        Path file = dir.resolve("vars-" + opened.size() + "-" + System.nanoTime() + ".fd");
        Files.write(file, b);
        return file;
    }

    private Path file(int size) throws IOException {
        Path file = dir.resolve("flash-" + System.nanoTime() + ".fd");
        Files.write(file, new byte[size]);
        return file;
    }

    private Pflash open(Path file, boolean readOnly) {
        Pflash f = Pflash.open(file, readOnly);
        opened.add(f);
        return f;
    }

    private Pflash open(Path file, int size) throws IOException {
        Files.write(file, new byte[size]);
        return open(file, false);
    }

    private static long read(Pflash f, long offset) {
        return read(f, offset, 1);
    }

    private static long read(Pflash f, long offset, int size) {
        MemorySegment data = Arena.ofAuto().allocate(size);
        f.read(offset, data);
        return IoData.get(data);
    }

    private static byte[] bytes(Pflash f, long offset, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) read(f, offset + i);
        }
        return b;
    }

    private static void write(Pflash f, long offset, int value) {
        write(f, offset, 1, value);
    }

    private static void write(Pflash f, long offset, int size, long value) {
        MemorySegment data = Arena.ofAuto().allocate(size);
        IoData.set(data, value);
        f.write(offset, data);
    }

    private static int le32(byte[] b, int at) {
        return b[at] & 0xff | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }
}
