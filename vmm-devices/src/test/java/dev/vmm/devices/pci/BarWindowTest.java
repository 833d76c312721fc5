package dev.vmm.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Its written-out equals and hashCode are a record's: by base and size. */
class BarWindowTest {
    @Test
    void windowsAreEqualByBaseAndSize() {
        BarWindow w = new BarWindow(0xfebf0000L, 0x1000);
        assertThat(w).isEqualTo(new BarWindow(0xfebf0000L, 0x1000)).hasSameHashCodeAs(new BarWindow(0xfebf0000L, 0x1000));
        assertThat(w).isNotEqualTo(new BarWindow(0xfebf1000L, 0x1000)).isNotEqualTo(new BarWindow(0xfebf0000L, 0x2000))
                .isNotEqualTo(null).isNotEqualTo("[0xfebf0000-0xfebf0fff]");
        assertThat(w.toString()).isEqualTo("[0xfebf0000-0xfebf0fff]");
    }
}
