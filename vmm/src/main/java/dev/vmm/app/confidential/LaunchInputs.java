package dev.vmm.app.confidential;

import dev.vmm.core.io.InputFile;
import dev.vmm.core.io.InputFileException;
import dev.vmm.app.config.ConfidentialConfig;
import dev.vmm.app.config.ConfigException;
import dev.vmm.app.config.IdBlockInput;
import dev.vmm.app.config.Payload;
import dev.vmm.core.kvm.CpuidEntry;
import dev.vmm.firmware.ovmf.SevHashTable;
import dev.vmm.sev.cpu.CpuModel;
import dev.vmm.sev.launch.ConfidentialLaunch;
import dev.vmm.sev.launch.LaunchSettings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** The launch settings a configuration asks for: files read and hashed, names resolved. */
public final class LaunchInputs {
    /** "host" means the signature KVM reports for the host CPU (CPUID leaf 1 EAX). */
    public static final String HOST_MODEL = "host";

    private LaunchInputs() {}

    /** From the payload's bytes as read once: the hashes cover exactly what fw_cfg hands the firmware. */
    public static LaunchSettings settings(ConfidentialConfig c, Payload payload, List<CpuidEntry> kvmCpuid) {
        IdBlockInput id = c.idBlock() == null ? null : IdBlockInput.read(c.idBlock(), c.idAuth(), c.authorKeyEnabled());
        var options = new ConfidentialLaunch.Options(c.effectivePolicy(), c.hostDataBytes(),
                id == null ? null : id.idBlock(), id == null ? null : id.idAuth(), id != null && id.authorKey());
        return new LaunchSettings(c.mode(), c.psp(), cpuModel(c.cpuModel(), kvmCpuid), c.guestFeatures(),
                payload.kernel() == null ? null : hashTable(payload.kernelBytes(), payload.initrdBytes(), payload.cmdline()), options);
    }

    public static CpuModel cpuModel(String name, List<CpuidEntry> kvmCpuid) {
        if (name == null || name.equals(HOST_MODEL)) {
            if (kvmCpuid == null) {
                throw new ConfigException("confidential.cpu_model", "is needed (there is no host CPU to take the "
                        + "signature from)");
            }
            int eax = kvmCpuid.stream().filter(e -> e.function() == 1).findFirst().map(CpuidEntry::eax).orElse(0);
            return CpuModel.fromSignature(HOST_MODEL, eax);
        }
        return CpuModel.byName(name).orElseThrow(() -> new ConfigException("confidential.cpu_model", "unknown model '"
                + name + "' (known: host, " + String.join(", ", CpuModel.names()) + ")"));
    }

    /** The SEV hashes table of files (vmm measure, which boots nothing). */
    public static byte[] hashTable(Path kernel, Path initrd, String append) {
        if (kernel == null) {
            return null;
        }
        return SevHashTable.fromHashes(sha256("payload.kernel", kernel),
                initrd == null ? sha256Empty() : sha256("payload.initrd", initrd), append);
    }

    /**
     * The SEV hashes table of the bytes that boot: the kernel as fw_cfg hands it over (setup and kernel
     * together: the whole file, which QEMU leaves unpatched for a confidential guest), the initrd, the
     * command line.
     */
    public static byte[] hashTable(byte[] kernel, byte[] initrd, String append) {
        return SevHashTable.fromHashes(sha256Digest().digest(kernel), sha256Digest().digest(initrd), append);
    }

    /**
     * Streams the file through SHA-256: a kernel and initrd can be hundreds of MiB. A heap array, not a
     * direct buffer: MessageDigest hashes arrays with the CPU's SHA instructions in one call, but copies
     * direct buffers through a small temporary array.
     */
    static byte[] sha256(String field, Path file) {
        MessageDigest sha = sha256Digest();
        byte[] buffer = new byte[1 << 20];
        try {
            InputFile.requireRegular(file, "");
        } catch (InputFileException e) {
            throw new ConfigException(field, e.getMessage());
        }
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                sha.update(buffer, 0, n);
            }
            return sha.digest();
        } catch (IOException e) {
            throw new ConfigException(field, "cannot read " + file + ": " + e.getMessage());
        }
    }

    private static byte[] sha256Empty() {
        return sha256Digest().digest();
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
