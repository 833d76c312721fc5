package dev.vmm.devices.virtio.pci;

import static dev.vmm.core.abi.CStruct.bytes;
import static dev.vmm.core.abi.CStruct.struct;
import static dev.vmm.core.abi.CStruct.u16;
import static dev.vmm.core.abi.CStruct.u32;
import static dev.vmm.core.abi.CStruct.u8;

import dev.vmm.core.abi.CName;
import dev.vmm.core.abi.CStruct;
import java.lang.foreign.StructLayout;

/** The virtio 1.x PCI structures (virtio 1.2, 4.1.4; linux/virtio_pci.h) and the PCI fields around them. */
public final class VirtioPciLayouts {
    public static final StructLayout VIRTIO_PCI_CAP = struct("virtio_pci_cap", u8("cap_vndr"), u8("cap_next"),
            u8("cap_len"), u8("cfg_type"), u8("bar"), u8("id"), bytes("padding", 2), u32("offset"), u32("length"));
    public static final StructLayout VIRTIO_PCI_NOTIFY_CAP = struct("virtio_pci_notify_cap", VIRTIO_PCI_CAP.withName("cap"),
            u32("notify_off_multiplier"));
    public static final StructLayout VIRTIO_PCI_CFG_CAP = struct("virtio_pci_cfg_cap", VIRTIO_PCI_CAP.withName("cap"),
            bytes("pci_cfg_data", 4));
    public static final StructLayout VIRTIO_PCI_COMMON_CFG = struct("virtio_pci_common_cfg",
            u32("device_feature_select"), u32("device_feature"), u32("guest_feature_select"), u32("guest_feature"),
            u16("msix_config"), u16("num_queues"), u8("device_status"), u8("config_generation"),
            u16("queue_select"), u16("queue_size"), u16("queue_msix_vector"), u16("queue_enable"),
            u16("queue_notify_off"), u32("queue_desc_lo"), u32("queue_desc_hi"), u32("queue_avail_lo"),
            u32("queue_avail_hi"), u32("queue_used_lo"), u32("queue_used_hi"));

    @CName("VIRTIO_PCI_CAP_COMMON_CFG") public static final int CAP_COMMON_CFG = 1;
    @CName("VIRTIO_PCI_CAP_NOTIFY_CFG") public static final int CAP_NOTIFY_CFG = 2;
    @CName("VIRTIO_PCI_CAP_ISR_CFG") public static final int CAP_ISR_CFG = 3;
    @CName("VIRTIO_PCI_CAP_DEVICE_CFG") public static final int CAP_DEVICE_CFG = 4;
    @CName("VIRTIO_PCI_CAP_PCI_CFG") public static final int CAP_PCI_CFG = 5;
    @CName("VIRTIO_MSI_NO_VECTOR") public static final int NO_VECTOR = 0xffff;
    /** ISR bit 0: a queue interrupt; bit 1: a configuration change. */
    public static final int ISR_QUEUE = 1;
    @CName("VIRTIO_PCI_ISR_CONFIG") public static final int ISR_CONFIG = 2;

    @CName("PCI_CAP_ID_VNDR") public static final int CAP_ID_VNDR = 0x09;
    @CName("PCI_CAP_ID_MSIX") public static final int CAP_ID_MSIX = 0x11;
    @CName("PCI_CAPABILITY_LIST") public static final int CAPABILITY_LIST = 0x34;
    @CName("PCI_STATUS_CAP_LIST") public static final int STATUS_CAP_LIST = 0x10;
    @CName("PCI_INTERRUPT_PIN") public static final int INTERRUPT_PIN = 0x3d;
    @CName("PCI_MSIX_FLAGS") public static final int MSIX_FLAGS = 2;
    @CName("PCI_MSIX_FLAGS_MASKALL") public static final int MSIX_FLAGS_MASKALL = 0x4000;
    @CName("PCI_MSIX_FLAGS_ENABLE") public static final int MSIX_FLAGS_ENABLE = 0x8000;
    @CName("PCI_MSIX_TABLE") public static final int MSIX_TABLE = 4;
    @CName("PCI_MSIX_PBA") public static final int MSIX_PBA = 8;
    @CName("PCI_MSIX_ENTRY_SIZE") public static final int MSIX_ENTRY_SIZE = 16;
    @CName("PCI_MSIX_ENTRY_DATA") public static final int MSIX_ENTRY_DATA = 8;
    @CName("PCI_MSIX_ENTRY_VECTOR_CTRL") public static final int MSIX_ENTRY_VECTOR_CTRL = 12;
    @CName("PCI_MSIX_ENTRY_CTRL_MASKBIT") public static final int MSIX_ENTRY_CTRL_MASKBIT = 1;
    /** The MSI-X capability: id, next, message control, table offset/BIR, PBA offset/BIR. */
    public static final int MSIX_CAP_SIZE = 12;

    public static final int DEVICE_FEATURE_SELECT = common("device_feature_select");
    public static final int DEVICE_FEATURE = common("device_feature");
    public static final int GUEST_FEATURE_SELECT = common("guest_feature_select");
    public static final int GUEST_FEATURE = common("guest_feature");
    public static final int MSIX_CONFIG = common("msix_config");
    public static final int NUM_QUEUES = common("num_queues");
    public static final int DEVICE_STATUS = common("device_status");
    public static final int CONFIG_GENERATION = common("config_generation");
    public static final int QUEUE_SELECT = common("queue_select");
    public static final int QUEUE_SIZE = common("queue_size");
    public static final int QUEUE_MSIX_VECTOR = common("queue_msix_vector");
    public static final int QUEUE_ENABLE = common("queue_enable");
    public static final int QUEUE_NOTIFY_OFF = common("queue_notify_off");
    public static final int QUEUE_DESC_LO = common("queue_desc_lo");
    public static final int QUEUE_DESC_HI = common("queue_desc_hi");
    public static final int QUEUE_AVAIL_LO = common("queue_avail_lo");
    public static final int QUEUE_AVAIL_HI = common("queue_avail_hi");
    public static final int QUEUE_USED_LO = common("queue_used_lo");
    public static final int QUEUE_USED_HI = common("queue_used_hi");
    static final int COMMON_CFG_SIZE = (int) VIRTIO_PCI_COMMON_CFG.byteSize();

    private VirtioPciLayouts() {}

    private static int common(String field) {
        return (int) CStruct.offset(VIRTIO_PCI_COMMON_CFG, field);
    }
}
