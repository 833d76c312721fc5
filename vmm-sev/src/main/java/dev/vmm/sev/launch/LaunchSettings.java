package dev.vmm.sev.launch;

import dev.vmm.sev.SevMode;
import dev.vmm.sev.cpu.CpuModel;
import dev.vmm.sev.psp.PspKind;

/**
 * What a confidential launch is asked for, resolved from the configuration: the mode, the PSP, the
 * CPU model the VMSAs and CPUID follow, SNP guest features, the SEV hashes table of a measured
 * direct boot (or null) and the LAUNCH_START/FINISH options.
 */
public record LaunchSettings(SevMode mode, PspKind psp, CpuModel cpu, long guestFeatures, byte[] hashTable,
                             ConfidentialLaunch.Options options) {}
