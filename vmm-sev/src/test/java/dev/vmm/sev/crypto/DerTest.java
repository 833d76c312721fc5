package dev.vmm.sev.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.BERTags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** One strict DER element or a {@link DerException}, never another exception. */
class DerTest {
    private static ASN1Primitive decode(String hex) throws DerException {
        return Der.decode(HexFormat.of().parseHex(hex));
    }

    @Test
    void wellFormedElementsDecode() throws Exception {
        assertThat(Der.as(decode("020200ff"), ASN1Integer.class, BERTags.INTEGER).getValue()).isEqualTo(BigInteger.valueOf(255));
        assertThat(Der.as(decode("160341424d"), ASN1IA5String.class, BERTags.IA5_STRING).getString()).isEqualTo("ABM");
        assertThat(Der.as(decode("0400"), ASN1OctetString.class, BERTags.OCTET_STRING).getOctets()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "'', no DER element",
            "04, EOF found",
            "0402020104, Extra data",
            "0480, indefinite-length",
            "0203000001, malformed integer",
            "04810100, not DER",
            "24800401000000, not DER",
            "0405010203, DEF length 5 object truncated",
    })
    void malformedOrNonDerInputIsRefused(String hex, String problem) {
        assertThatThrownBy(() -> decode(hex)).isInstanceOf(DerException.class).hasMessageContaining(problem);
    }

    @Test
    void aDifferentTypeIsNamedByItsTag() {
        assertThatThrownBy(() -> Der.as(decode("16010a"), ASN1Integer.class, BERTags.INTEGER))
                .isInstanceOf(DerException.class).hasMessage("tag 0x16, expected 0x02");
    }

    @Property(tries = 2000)
    void anyBytesGiveAnElementOrADerException(@ForAll @Size(max = 40) byte[] bytes) {
        try {
            ASN1Primitive p = Der.decode(bytes);
            assertThat(p.getEncoded("DER")).isEqualTo(bytes);
        } catch (DerException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
