package dev.vmm.sev.measure;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class LaunchDigestTest {
    private static final byte[] PAGE = new byte[4096];

    static {
        for (int i = 0; i < PAGE.length; i++) {
            PAGE[i] = (byte) i;
        }
    }

    @Test
    void snpPageInfoChainMatchesAnIndependentComputation() {
        // python3: ld = sha384(ld + sha384(page) + pack('<HBBBBBBQ', 0x70, 1, 0,0,0,0,0, 0xffe00000)), then a
        // ZERO page at 0x800000 (contents = 48 zero bytes).
        SnpLaunchDigest d = new SnpLaunchDigest();
        d.update(PageType.NORMAL, 0xffe00000L, PAGE, 0);
        d.update(PageType.ZERO, 0x800000L, null, 0);
        assertThat(HexFormat.of().formatHex(d.digest())).isEqualTo(
                "7d7d1b8c580293754002b468610fa63ee10db15a47655e335f25b3dca6a5bcf87be8535b4110cef79b7ca1ab15140ff2");
    }

    @Test
    void theDigestStartsAtZeroAndOnlyMeasuredTypesReadContents() {
        assertThat(new SnpLaunchDigest().digest()).containsOnly(0);
        SnpLaunchDigest a = new SnpLaunchDigest();
        SnpLaunchDigest b = new SnpLaunchDigest();
        a.update(PageType.SECRETS, 0x80c000, PAGE, 0);
        b.update(PageType.SECRETS, 0x80c000, new byte[4096], 0);
        assertThat(a.digest()).isEqualTo(b.digest());
        b.update(PageType.CPUID, 0x80d000, null, 0);
        assertThat(a.digest()).isNotEqualTo(b.digest());
    }

    @Test
    void sevDigestIsOneRunningSha256() {
        SevLaunchDigest d = new SevLaunchDigest();
        d.update(PAGE, 0, 100);
        d.update(PAGE, 100, 76);
        assertThat(HexFormat.of().formatHex(d.digest()))
                .isEqualTo("5ae91d2295e6706191b760661d48e365441de12340006130c42c7b38faa48393");
        assertThat(d.digest()).as("reading does not end the hash").isEqualTo(d.digest());
    }
}
