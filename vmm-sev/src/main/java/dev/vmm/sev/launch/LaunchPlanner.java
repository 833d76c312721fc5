package dev.vmm.sev.launch;

import dev.vmm.firmware.ovmf.MetadataSection;
import dev.vmm.firmware.ovmf.OvmfImage;
import dev.vmm.firmware.ovmf.SevHashTable;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.measure.PageType;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a firmware image and the launch inputs into the {@link LaunchPlan} QEMU would execute
 * (target/i386/sev.c): the firmware as data, the kernel hashes table (measured direct boot), and for
 * SNP every section of the firmware's SEV metadata with its page type, in metadata order.
 */
public final class LaunchPlanner {
    private static final int PAGE = 4096;

    private LaunchPlanner() {}

    /**
     * @param hashTable the SEV hashes table (kernel, initrd, cmdline) or null without measured direct boot
     * @param cpuidPage the SNP CPUID page contents (SNP only; null otherwise)
     */
    public static LaunchPlan plan(SevMode mode, OvmfImage ovmf, byte[] hashTable, byte[] cpuidPage, int vcpus,
                                  int cpuSignature, long guestFeatures) {
        long apEip = ovmf.sevEsResetEip().orElse(0);
        if (mode.hasVmsa() && vcpus > 1 && apEip == 0) {
            throw new LaunchException(ovmf.image().source() + " has no SEV-ES reset block: APs of an "
                    + mode.runName() + " guest cannot start, so only 1 vCPU can be launched");
        }
        if (hashTable != null && ovmf.sevHashesTable().isEmpty()) {
            throw new LaunchException(ovmf.image().source() + " has no SEV hashes table: it cannot measure a kernel, "
                    + "initrd and command line (an OvmfPkg/AmdSev build can)");
        }
        List<LaunchPlan.Range> ranges = new ArrayList<>();
        byte[] image = ovmf.image().bytes();
        ranges.add(new LaunchPlan.Range(ovmf.gpa(), image.length, PageType.NORMAL, image, "firmware"));
        long sevFeatures = 0;
        if (mode == SevMode.SEV_SNP) {
            sevFeatures = guestFeatures | 1;
            snpSections(ovmf, hashTable, cpuidPage, ranges);
        } else if (hashTable != null) {
            long tableGpa = ovmf.sevHashesTable().orElseThrow().gpa();
            ranges.add(new LaunchPlan.Range(tableGpa, hashTable.length, PageType.NORMAL, hashTable, "kernel hashes table"));
        }
        return new LaunchPlan(mode, ranges, vcpus, cpuSignature, sevFeatures, apEip);
    }

    private static void snpSections(OvmfImage ovmf, byte[] hashTable, byte[] cpuidPage, List<LaunchPlan.Range> ranges) {
        if (hashTable != null && !ovmf.hasSection(dev.vmm.firmware.ovmf.SectionType.SNP_KERNEL_HASHES)) {
            throw new LaunchException(ovmf.image().source() + " has no SNP_KERNEL_HASHES section: it cannot measure "
                    + "a kernel, initrd and command line under SNP");
        }
        for (MetadataSection s : ovmf.sevMetadata()) {
            String what = s.type().name().toLowerCase() + " section";
            switch (s.type()) {
                case SNP_SEC_MEM, SVSM_CAA -> ranges.add(new LaunchPlan.Range(s.gpa(), s.size(), PageType.ZERO, null, what));
                case SNP_SECRETS -> ranges.add(new LaunchPlan.Range(s.gpa(), s.size(), PageType.SECRETS, null, what));
                case CPUID -> {
                    if (cpuidPage == null || s.size() != PAGE) {
                        throw new LaunchException("the CPUID section at 0x" + Long.toHexString(s.gpa())
                                + " needs one page of CPUID table");
                    }
                    ranges.add(new LaunchPlan.Range(s.gpa(), PAGE, PageType.CPUID, cpuidPage, what));
                }
                case SNP_KERNEL_HASHES -> {
                    if (hashTable == null) {
                        ranges.add(new LaunchPlan.Range(s.gpa(), s.size(), PageType.ZERO, null, what + " (unused)"));
                    } else {
                        long tableGpa = ovmf.sevHashesTable().orElseThrow().gpa();
                        if (s.size() != PAGE || tableGpa < s.gpa() || tableGpa >= s.gpa() + PAGE) {
                            throw new LaunchException(String.format("the SEV hashes table at 0x%x is not in the "
                                    + "one-page SNP_KERNEL_HASHES section at 0x%x", tableGpa, s.gpa()));
                        }
                        byte[] page = SevHashTable.page(hashTable, (int) (tableGpa - s.gpa()));
                        ranges.add(new LaunchPlan.Range(s.gpa(), PAGE, PageType.NORMAL, page, what));
                    }
                }
            }
        }
    }
}
