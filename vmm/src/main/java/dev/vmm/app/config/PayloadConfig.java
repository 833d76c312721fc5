package dev.vmm.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;

/**
 * What the guest boots: a firmware image (null: the embedded test guest) with an optional UEFI
 * variable store, and a kernel with its initrd and command line.
 */
public record PayloadConfig(Path firmware, @JsonProperty("firmware_vars") Path firmwareVars, Path kernel, Path initrd,
                            String cmdline) {
    public static final PayloadConfig TEST_GUEST = new PayloadConfig(null, null, null, null, null);

    /** @param confidential whether a confidential launch measures the payload */
    public void validate(boolean confidential) {
        if (firmwareVars != null && firmware == null) {
            throw new ConfigException("payload.firmware_vars", "needs {payload.firmware} (the code image to put above it)");
        }
        if (initrd != null && kernel == null) {
            throw new ConfigException("payload.initrd", "needs {payload.kernel}");
        }
        if (cmdline != null && kernel == null) {
            throw new ConfigException("payload.cmdline", "needs {payload.kernel}");
        }
        if (kernel != null && confidential && firmware == null) {
            // A confidential guest boots through the firmware it measures, which then loads the kernel.
            throw new ConfigException("payload.kernel", "with {confidential.mode} needs {payload.firmware} (an OVMF "
                    + "build with a SEV hashes table), which measures and loads it");
        }
    }
}
