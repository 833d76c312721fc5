package dev.vmm.firmware.ovmf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds synthetic images with a footer table and, optionally, 'ASEV' metadata, for edge cases. */
final class FooterTableBuilder {
    private final int size;
    private final List<Guid> guids = new ArrayList<>();
    private final List<byte[]> datas = new ArrayList<>();
    private byte[] metadata;
    private int metadataFromEnd;

    FooterTableBuilder(int size) {
        this.size = size;
    }

    /** Adds an entry; the first one added sits next to the footer (first in table order). */
    FooterTableBuilder entry(Guid guid, byte[] data) {
        guids.add(guid);
        datas.add(data.clone());
        return this;
    }

    FooterTableBuilder entry(Guid guid, long... u32s) {
        ByteBuffer b = ByteBuffer.allocate(4 * u32s.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : u32s) {
            b.putInt((int) v);
        }
        return entry(guid, b.array());
    }

    /** 'ASEV' metadata with these {gpa, size, type} descriptors, placed {@code fromEnd} bytes before the end. */
    FooterTableBuilder metadata(int fromEnd, long[]... sections) {
        ByteBuffer b = ByteBuffer.allocate(16 + 12 * sections.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("ASEV".getBytes(StandardCharsets.US_ASCII))
                .putInt(16 + 12 * sections.length).putInt(1).putInt(sections.length);
        for (long[] s : sections) {
            b.putInt((int) s[0]).putInt((int) s[1]).putInt((int) s[2]);
        }
        this.metadata = b.array();
        this.metadataFromEnd = fromEnd;
        return entry(OvmfGuids.SEV_METADATA, fromEnd);
    }

    byte[] build() {
        byte[] image = new byte[size];
        if (metadata != null) {
            System.arraycopy(metadata, 0, image, size - metadataFromEnd, metadata.length);
        }
        int end = size - FooterTable.LENGTH_FROM_END;
        for (int i = 0; i < guids.size(); i++) {
            byte[] data = datas.get(i);
            int entrySize = data.length + FooterTable.ENTRY_TRAILER;
            System.arraycopy(guids.get(i).bytesLe(), 0, image, end - Guid.BYTES, Guid.BYTES);
            OvmfSamples.putU16(image, end - FooterTable.ENTRY_TRAILER, entrySize);
            System.arraycopy(data, 0, image, end - entrySize, data.length);
            end -= entrySize;
        }
        int tableLength = size - FooterTable.LENGTH_FROM_END - end + FooterTable.ENTRY_TRAILER;
        OvmfSamples.putU16(image, size - FooterTable.LENGTH_FROM_END, tableLength);
        System.arraycopy(OvmfGuids.TABLE_FOOTER.bytesLe(), 0, image, size - FooterTable.FOOTER_GUID_FROM_END, Guid.BYTES);
        return image;
    }
}
