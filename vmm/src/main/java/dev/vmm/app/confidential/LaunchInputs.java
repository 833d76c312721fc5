package dev.vmm.app.confidential;

import dev.vmm.app.config.ConfidentialConfig;
import dev.vmm.app.config.ConfigException;
import dev.vmm.core.kvm.CpuidEntry;
import dev.vmm.firmware.FirmwareImage;
import dev.vmm.firmware.ovmf.OvmfImage;
import dev.vmm.firmware.ovmf.SevHashTable;
import dev.vmm.sev.cpu.CpuModel;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/** The inputs of a launch measurement read from files and names: firmware model, CPU model, hashes. */
public record LaunchInputs(OvmfImage ovmf, CpuModel cpu, byte[] hashTable) {
    /** "host" means the signature KVM reports for the host CPU (CPUID leaf 1 EAX). */
    public static final String HOST_MODEL = "host";

    public static LaunchInputs read(ConfidentialConfig c, FirmwareImage firmware, List<CpuidEntry> kvmCpuid) {
        OvmfImage ovmf = OvmfImage.parse(firmware);
        return new LaunchInputs(ovmf, cpuModel(c.cpuModel(), kvmCpuid), hashTable(c.kernel(), c.initrd(), c.append()));
    }

    public static CpuModel cpuModel(String name, List<CpuidEntry> kvmCpuid) {
        if (name == null || name.equals(HOST_MODEL)) {
            if (kvmCpuid == null) {
                throw new ConfigException("--cpu-model is needed (there is no host CPU to take the signature from)");
            }
            int eax = kvmCpuid.stream().filter(e -> e.function() == 1).findFirst().map(CpuidEntry::eax).orElse(0);
            return CpuModel.fromSignature(HOST_MODEL, eax);
        }
        return CpuModel.byName(name).orElseThrow(() -> new ConfigException("--cpu-model: unknown model '" + name
                + "' (known: host, " + String.join(", ", CpuModel.names()) + ")"));
    }

    public static byte[] hashTable(Path kernel, Path initrd, String append) {
        if (kernel == null) {
            return null;
        }
        return SevHashTable.fromHashes(sha256("--kernel", kernel), initrd == null ? sha256Empty() : sha256("--initrd", initrd),
                append);
    }

    /**
     * Streams the file through SHA-256: a kernel and initrd can be hundreds of MiB. A heap array, not a
     * direct buffer: MessageDigest hashes arrays with the CPU's SHA instructions in one call, but copies
     * direct buffers through a small temporary array.
     */
    static byte[] sha256(String option, Path file) {
        MessageDigest sha = sha256Digest();
        byte[] buffer = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                sha.update(buffer, 0, n);
            }
            return sha.digest();
        } catch (IOException e) {
            throw new ConfigException(option + ": cannot read " + file + ": " + e.getMessage());
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
