package dev.vmm.firmware.ovmf;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * One entry of the OVMF footer GUID table: its GUID, the image offset of its data and the data
 * (without the trailing u16 size and GUID).
 */
public record FooterEntry(Guid guid, long offset, byte[] data) {
    public FooterEntry {
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FooterEntry e && guid.equals(e.guid) && offset == e.offset && Arrays.equals(data, e.data);
    }

    @Override
    public int hashCode() {
        return (guid.hashCode() * 31 + Long.hashCode(offset)) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "FooterEntry[" + guid + " at 0x" + Long.toHexString(offset) + ": " + HexFormat.of().formatHex(data) + "]";
    }
}
