package dev.vmm.sev.platform;

import dev.vmm.sev.tcb.TcbVersion;

/** SNP_SET_CONFIG's input ({@code struct sev_user_data_snp_config}). */
public record SnpConfig(TcbVersion reportedTcb, boolean maskChipId, boolean maskChipKey) {}
