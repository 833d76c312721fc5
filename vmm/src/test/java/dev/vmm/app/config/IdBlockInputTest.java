package dev.vmm.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.sev.SevMode;
import dev.vmm.sev.psp.PspKind;
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
                .hasMessage("confidential.author_key_enabled: " + auth + " has no author key (vmm id-block made it without one)");
    }

    @Test
    void sizesAndFilesAreChecked(@TempDir Path dir) throws Exception {
        Path small = Files.write(dir.resolve("small"), new byte[95]);
        Path block = Files.write(dir.resolve("block"), new byte[96]);
        assertThatThrownBy(() -> IdBlockInput.read(small, block, false))
                .hasMessage("confidential.id_block: " + small + ": 95 bytes, an ID block is 96");
        assertThatThrownBy(() -> IdBlockInput.read(block, block, false))
                .hasMessage("confidential.id_auth: " + block + ": 96 bytes, an ID auth is 4096");
        assertThatThrownBy(() -> IdBlockInput.read(block, dir.resolve("none"), false))
                .hasMessage("confidential.id_auth: " + dir.resolve("none") + ": no such file");
    }

    @Test
    void onlySnpGuestsTakeAnIdBlock(@TempDir Path dir) {
        Path block = dir.resolve("b");
        Path auth = dir.resolve("a");
        VmConfig.Builder b = VmConfig.builder().firmware(dir.resolve("fw"));
        assertThatThrownBy(() -> b.confidential(new ConfidentialConfig(SevMode.SEV_ES, null, PspKind.SIMULATED, "EPYC", 1,
                null, null, block, auth, false)).build().validate()).hasMessage("confidential.id_block: is for sev-snp guests");
        assertThat(b.confidential(new ConfidentialConfig(SevMode.SEV_SNP, null, PspKind.SIMULATED, "EPYC", 1, null, null,
                block, auth, false)).build().validate().confidential().idBlock()).isEqualTo(block);
        assertThatThrownBy(() -> b.confidential(new ConfidentialConfig(SevMode.SEV_SNP, null, PspKind.SIMULATED, "EPYC", 1,
                null, null, block, null, false)).build().validate())
                .hasMessage("confidential.id_block: goes with confidential.id_auth");
    }

    private static KeyPair p384() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        return g.generateKeyPair();
    }
}
