package dev.vmm.sev.platform;

import dev.vmm.sev.tcb.TcbVersion;

/**
 * SNP_PLATFORM_STATUS ({@code struct sev_user_data_snp_status}). The SNP platform has two states,
 * UNINIT (0) and INIT (1); the kernel answers only after SNP_INIT, so a real reply says INIT. The TCBs
 * are in the layout of the platform's CPU generation ({@link SevPlatform#tcbLayout}).
 */
public record SnpPlatformStatus(int apiMajor, int apiMinor, int state, boolean rmpInitialized, long buildId,
                                boolean maskChipId, boolean maskChipKey, boolean vlekEnabled, long guestCount,
                                TcbVersion currentTcb, TcbVersion reportedTcb) {}
