package dev.vmm.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.sev.SevMode;
import dev.vmm.sev.idblock.IdBlock;
import dev.vmm.sev.idblock.IdBlockSigner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --id-block --id-auth [--author-key-enabled]}: the files are read and checked before any VM exists. */
class IdBlockInputTest {
    @Test
    void filesMadeByIdBlockAreRead(@TempDir Path dir) throws Exception {
        IdBlockSigner.Signed s = IdBlockSigner.sign(new IdBlock(new byte[48], new byte[16], new byte[16], 1, 0, 0x30000),
                p384(), p384());
        Path block = Files.write(dir.resolve("b"), s.idBlock());
        Path auth = Files.write(dir.resolve("a"), s.idAuth());
        IdBlockInput in = IdBlockInput.read(block, auth, true);
        assertThat(in.idBlock()).isEqualTo(s.idBlock());
        assertThat(in.idAuth()).isEqualTo(s.idAuth());
        assertThat(in.authorKey()).isTrue();
        assertThat(IdBlockInput.read(block, auth, false).authorKey()).isFalse();
    }

    @Test
    void anAuthorKeyMustBeThereWhenEnabled(@TempDir Path dir) throws Exception {
        IdBlockSigner.Signed s = IdBlockSigner.sign(new IdBlock(new byte[48], new byte[16], new byte[16], 1, 0, 0x30000),
                p384(), null);
        Path block = Files.write(dir.resolve("b"), s.idBlock());
        Path auth = Files.write(dir.resolve("a"), s.idAuth());
        assertThat(IdBlockInput.read(block, auth, false).authorKey()).isFalse();
        assertThatThrownBy(() -> IdBlockInput.read(block, auth, true)).isInstanceOf(ConfigException.class)
                .hasMessage("--author-key-enabled: " + auth + " has no author key (it was made without --author-key)");
    }

    @Test
    void sizesAndFilesAreChecked(@TempDir Path dir) throws Exception {
        Path small = Files.write(dir.resolve("small"), new byte[95]);
        Path block = Files.write(dir.resolve("block"), new byte[96]);
        assertThatThrownBy(() -> IdBlockInput.read(small, block, false))
                .hasMessage("--id-block " + small + ": 95 bytes, an ID block is 96");
        assertThatThrownBy(() -> IdBlockInput.read(block, block, false))
                .hasMessage("--id-auth " + block + ": 96 bytes, an ID auth is 4096");
        assertThatThrownBy(() -> IdBlockInput.read(block, dir.resolve("none"), false))
                .hasMessage("--id-auth " + dir.resolve("none") + ": no such file");
    }

    @Test
    void onlySnpGuestsTakeAnIdBlock() {
        IdBlockInput id = new IdBlockInput(new byte[96], new byte[4096], false);
        assertThatThrownBy(() -> new ConfidentialConfig(SevMode.SEV_ES, null, ConfidentialConfig.PspKind.SIMULATED,
                "EPYC", 1, null, null, null, null, null, id).validate()).hasMessage("--id-block is for sev-snp guests");
        assertThat(new ConfidentialConfig(SevMode.SEV_SNP, null, ConfidentialConfig.PspKind.SIMULATED, "EPYC", 1, null,
                null, null, null, null, id).validate().idBlock()).isSameAs(id);
    }

    private static KeyPair p384() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        return g.generateKeyPair();
    }
}
