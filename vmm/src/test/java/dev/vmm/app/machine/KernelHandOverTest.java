package dev.vmm.app.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.app.confidential.LaunchInputs;
import dev.vmm.app.config.Payload;
import dev.vmm.app.config.PayloadConfig;
import dev.vmm.devices.fwcfg.FwCfg;
import dev.vmm.devices.fwcfg.KernelItems;
import dev.vmm.firmware.ovmf.SevHashTable;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel handed to firmware over fw_cfg is the kernel measured: both come from the payload's one
 * read of the files, so rewriting a file afterwards changes neither, and the SEV hashes of what the
 * firmware reads through the fw_cfg ports are the hashes in the launch's table.
 */
class KernelHandOverTest {
    private static byte[] bzImage() {
        ByteBuffer b = ByteBuffer.allocate(2 * 512 + 3000).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1f1, (byte) 1).putShort(0x1fe, (short) 0xaa55).put(0x200, (byte) 0xeb).put(0x201, (byte) 0x6a);
        b.putInt(0x202, 0x53726448).putShort(0x206, (short) 0x020f).put(0x211, (byte) 1).putInt(0x230, 0x200000)
                .putShort(0x236, (short) 1).putInt(0x238, 2047).putLong(0x258, 0x1000000);
        for (int i = 1024; i < b.capacity(); i++) {
            b.put(i, (byte) (i * 7));
        }
        return b.array();
    }

    /** Any 64 KiB image will do: fw_cfg does not look at the firmware. */
    private static Path firmware(Path dir) throws Exception {
        return Files.write(dir.resolve("firmware.fd"), new byte[65536]);
    }

    /** An item as firmware reads it: select through port 0, then byte by byte through port 1. */
    private static byte[] item(FwCfg fwCfg, int key, int length) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment selector = a.allocate(2);
            selector.set(ValueLayout.JAVA_SHORT_UNALIGNED, 0, (short) key);
            fwCfg.write(0, selector);
            MemorySegment one = a.allocate(1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < length; i++) {
                fwCfg.read(1, one);
                out.write(one.get(ValueLayout.JAVA_BYTE, 0));
            }
            return out.toByteArray();
        }
    }

    private static int size(FwCfg fwCfg, int key) {
        return ByteBuffer.wrap(item(fwCfg, key, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    @Test
    void theFirmwareReadsTheBytesThatWereHashedFromOneRead(@TempDir Path dir) throws Exception {
        byte[] kernel = bzImage();
        byte[] initrd = new byte[5000];
        new Random(11).nextBytes(initrd);
        Path k = Files.write(dir.resolve("vmlinuz"), kernel);
        Path i = Files.write(dir.resolve("initrd"), initrd);
        Payload payload = Payload.read(new PayloadConfig(firmware(dir), null, k, i, "console=ttyS0"));
        byte[] hashes = LaunchInputs.hashTable(payload.kernelBytes(), payload.initrdBytes(), payload.cmdline());
        // Whatever happens to the files now, the VM has its bytes already.
        Files.write(k, new byte[kernel.length]);
        Files.write(i, new byte[7]);

        FwCfg fwCfg = new FwCfg(false);
        PcPlatform.addKernel(fwCfg, payload);
        byte[] setup = item(fwCfg, KernelItems.SETUP_DATA, size(fwCfg, KernelItems.SETUP_SIZE));
        byte[] rest = item(fwCfg, KernelItems.KERNEL_DATA, size(fwCfg, KernelItems.KERNEL_SIZE));
        byte[] served = new byte[setup.length + rest.length];
        System.arraycopy(setup, 0, served, 0, setup.length);
        System.arraycopy(rest, 0, served, setup.length, rest.length);
        assertThat(setup).as("the setup: (setup_sects + 1) sectors").hasSize(1024);
        assertThat(served).as("setup and kernel: the file as it was read, unpatched").isEqualTo(kernel);
        byte[] servedInitrd = item(fwCfg, KernelItems.INITRD_DATA, size(fwCfg, KernelItems.INITRD_SIZE));
        assertThat(servedInitrd).isEqualTo(initrd);
        byte[] cmdline = item(fwCfg, KernelItems.CMDLINE_DATA, size(fwCfg, KernelItems.CMDLINE_SIZE));
        assertThat(cmdline).isEqualTo("console=ttyS0\0".getBytes(StandardCharsets.US_ASCII));
        assertThat(hashes).isEqualTo(SevHashTable.fromHashes(sha256(served), sha256(servedInitrd), "console=ttyS0"));
    }

    @Test
    void aFileThatIsNoBzImageGoesOverWholeAsTheKernel(@TempDir Path dir) throws Exception {
        byte[] blob = new byte[65536];
        Arrays.fill(blob, (byte) 0x5a);
        Payload payload = Payload.read(new PayloadConfig(firmware(dir), null, Files.write(dir.resolve("k"), blob), null,
                null));
        FwCfg fwCfg = new FwCfg(false);
        PcPlatform.addKernel(fwCfg, payload);
        assertThat(size(fwCfg, KernelItems.SETUP_SIZE)).isZero();
        assertThat(item(fwCfg, KernelItems.KERNEL_DATA, size(fwCfg, KernelItems.KERNEL_SIZE))).isEqualTo(blob);
        assertThat(item(fwCfg, KernelItems.CMDLINE_DATA, size(fwCfg, KernelItems.CMDLINE_SIZE))).containsExactly(0);
    }
}
