package dev.vmm.devices.pci;

import java.util.Objects;

/** The decoded window of one range and the relocation told when it changes; the function's lock guards it. */
public final class BarDecoder {
    private final BarRelocation relocation;
    private BarWindow window;

    public BarDecoder(BarRelocation relocation) {
        this.relocation = relocation;
    }

    /** Decodes at {@code want} (null: not at all); tells the relocation only if that is a change. */
    public void decode(BarWindow want) {
        if (!Objects.equals(want, window)) {
            BarWindow from = window;
            window = want;
            relocation.relocate(from, want);
        }
    }

    /** The current window, or null when not decoded. */
    public BarWindow window() {
        return window;
    }
}
