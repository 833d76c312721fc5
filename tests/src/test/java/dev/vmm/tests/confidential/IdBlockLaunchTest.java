package dev.vmm.tests.confidential;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.app.config.CharDevice;
import dev.vmm.app.config.ConfidentialConfig;
import dev.vmm.sev.psp.PspKind;
import dev.vmm.app.config.IdBlockInput;
import dev.vmm.app.config.VmConfig;
import dev.vmm.app.machine.Console;
import dev.vmm.app.machine.Machine;
import dev.vmm.app.machine.MachineBuilder;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.crypto.AmdEcdsaPublicKey;
import dev.vmm.sev.idblock.EcKeyFile;
import dev.vmm.sev.idblock.IdAuthInfo;
import dev.vmm.sev.idblock.IdBlock;
import dev.vmm.sev.idblock.IdBlockSigner;
import dev.vmm.sev.launch.ConfidentialLaunch;
import dev.vmm.sev.psp.FirmwareError;
import dev.vmm.sev.psp.PspException;
import dev.vmm.tests.cli.VmmProcessAccess;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEV-SNP launches of the embedded test guest on /dev/kvm through the simulated PSP, with an ID block:
 * signed for the launch it is accepted and the guest runs; signed for another digest, policy or key
 * the launch stops at SNP_LAUNCH_FINISH with the firmware's error. Both in process and as a user runs
 * {@code vmm id-block} and {@code vmm run}.
 */
class IdBlockLaunchTest {
    private static final Path TEST_GUEST = Path.of("../firmware/target/classes/dev/vmm/firmware/test-guest.bin");
    private static final String VIRTEE_ID_DIGEST =
            "59fb2c686dfa4fef49f38339aa775c90051c28d57383ddc3baf3b5eb4b1496df3b0dbbdcbae5fe27677a644820773fe2";
    private static final String VIRTEE_AUTHOR_DIGEST =
            "eed81169fb0cb5e0ec34794f128fd4e0c4a46f67c65a1adfa81fcb24bcc088c272369b7ffc3eb2b6af6a4284a1b36c5f";

    @Test
    void inProcessAGeneratedIdBlockIsAcceptedAndAMismatchRefused() throws Exception {
        KeyPair idKey = p384();
        KeyPair authorKey = p384();
        // The digest this configuration launches with, from a launch without an ID block.
        byte[] ld = launch(null, null).digest();
        IdBlock block = new IdBlock(ld, filled(16, 0xf1), filled(16, 0x1a), IdBlock.VERSION_1, 7, 0x30000);
        IdBlockSigner.Signed signed = IdBlockSigner.sign(block, idKey, authorKey);

        ConfidentialLaunch.Result accepted = launch(new IdBlockInput(signed.idBlock(), signed.idAuth(), true), null);
        assertThat(accepted.digest()).isEqualTo(ld);
        assertThat(accepted.psp()).contains("SIMULATED");

        IdBlockSigner.Signed otherPolicy = IdBlockSigner.sign(new IdBlock(ld, filled(16, 0xf1), filled(16, 0x1a),
                1, 7, 0x3001f), idKey, authorKey);
        assertRefused(new IdBlockInput(otherPolicy.idBlock(), otherPolicy.idAuth(), true), null, FirmwareError.POLICY_FAILURE);
        // The same block is accepted by a launch with that policy; the firmware compares, it does not prefer.
        launch(new IdBlockInput(otherPolicy.idBlock(), otherPolicy.idAuth(), true), 0x3001fL);

        byte[] strangerAuthor = signed.idAuth().clone();
        byte[] stranger = AmdEcdsaPublicKey.of((ECPublicKey) p384().getPublic()).toBytes();
        System.arraycopy(stranger, 0, strangerAuthor, IdAuthInfo.AUTHOR_KEY, stranger.length);
        assertRefused(new IdBlockInput(signed.idBlock(), strangerAuthor, true), null, FirmwareError.BAD_SIGNATURE);
        // Without AUTH_KEY_EN the author fields are not read.
        launch(new IdBlockInput(signed.idBlock(), strangerAuthor, false), null);
    }

    @Test
    void idBlockFromTheCliLaunchesTheTestGuest(@TempDir Path dir) throws Exception {
        Path idKey = resource(dir, "virtee_test_id_key.pem");
        Path authorKey = resource(dir, "virtee_test_auth_key.pem");
        Path block = dir.resolve("id-block.bin");
        Path auth = dir.resolve("id-auth.bin");
        VmmProcessAccess.Result made = vmm("id-block", "--firmware", TEST_GUEST.toString(), "--mode", "snp", "--cpus", "1",
                "--cpu-model", "EPYC-Milan", "--id-key", idKey.toString(), "--author-key", authorKey.toString(),
                "--family-id", "00112233445566778899aabbccddeeff", "--image-id", "0102030405060708090a0b0c0d0e0f10",
                "--svn", "3", "--policy", "0x30000", "--out-block", block.toString(), "--out-auth", auth.toString());
        assertThat(made.status()).as(made.stderr()).isZero();
        VmmProcessAccess.Result measured = vmm("measure", "--mode", "snp", "--firmware", TEST_GUEST.toString(),
                "--cpu-model", "EPYC-Milan");
        String digest = measured.stdout().strip();
        assertThat(made.stdout()).isEqualTo("launch digest:     " + digest + "\n"
                + "id block:          " + block + " (96 bytes)\n"
                + "id auth:           " + auth + " (4096 bytes)\n"
                + "id_key_digest:     " + VIRTEE_ID_DIGEST + "\n"
                + "author_key_digest: " + VIRTEE_AUTHOR_DIGEST + "\n");
        assertThat(Files.readAllBytes(block)).hasSize(96);
        assertThat(Files.readAllBytes(auth)).hasSize(4096);

        VmmProcessAccess.Result run = vmm("run", "--confidential", "sev-snp", "--psp", "simulated", "--cpu-model",
                "EPYC-Milan", "--id-block", block.toString(), "--id-auth", auth.toString(), "--author-key-enabled");
        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("vCPUs online: 1 of 1").endsWith("exit 0\n");
        assertThat(run.stderr()).contains("vmm: launch digest " + digest + "\n")
                .contains("vmm: ID block accepted: id_key_digest " + VIRTEE_ID_DIGEST + ", author_key_digest "
                        + VIRTEE_AUTHOR_DIGEST + "\n");

        // A flipped bit in the ID block signature.
        byte[] tampered = Files.readAllBytes(auth);
        tampered[IdAuthInfo.ID_BLOCK_SIG] ^= 1;
        Path badAuth = Files.write(dir.resolve("tampered.bin"), tampered);
        assertRunRefused(block, badAuth, true, List.of(), "BAD_SIGNATURE (0xa): ID_AUTH_INFO.ID_BLOCK_SIG (offset 0x40)");

        // Another author key in place of the one that signed the ID key.
        byte[] swapped = Files.readAllBytes(auth);
        byte[] ssmAuthor = AmdEcdsaPublicKey.of((ECPublicKey) EcKeyFile.read(resource(dir, "ssm_author_key_test.pem"))
                .getPublic()).toBytes();
        System.arraycopy(ssmAuthor, 0, swapped, IdAuthInfo.AUTHOR_KEY, ssmAuthor.length);
        Path swappedAuth = Files.write(dir.resolve("swapped.bin"), swapped);
        assertRunRefused(block, swappedAuth, true, List.of(), "BAD_SIGNATURE (0xa): ID_AUTH_INFO.ID_KEY_SIG (offset 0x680)");

        // The guest launched with another policy than the ID block's.
        assertRunRefused(block, auth, true, List.of("--policy", "0x3001f"),
                "POLICY_FAILURE (0x7): ID block policy 0x30000, guest policy 0x3001f");

        // Signed for another launch digest: the VMSA of another CPU model holds another CPUID signature.
        Path wrongBlock = dir.resolve("wrong-block.bin");
        Path wrongAuth = dir.resolve("wrong-auth.bin");
        VmmProcessAccess.Result other = vmm("id-block", "--firmware", TEST_GUEST.toString(), "--cpu-model", "EPYC-Genoa", "--id-key", idKey.toString(), "--family-id", "00000000000000000000000000000000",
                "--image-id", "00000000000000000000000000000000", "--policy", "0x30000",
                "--out-block", wrongBlock.toString(), "--out-auth", wrongAuth.toString());
        assertThat(other.status()).as(other.stderr()).isZero();
        assertThat(other.stdout()).contains("author_key_digest: none");
        assertRunRefused(wrongBlock, wrongAuth, false, List.of(), "BAD_MEASUREMENT (0xb): the ID block's LD ");
    }

    @Test
    void badIdBlockInputIsOneLine(@TempDir Path dir) throws Exception {
        Path idKey = resource(dir, "virtee_test_id_key.pem");
        Path block = dir.resolve("b.bin");
        Path auth = dir.resolve("a.bin");
        String zeros32 = "00".repeat(16);
        String[][] cases = {
            {"id-block --digest 00 --id-key " + idKey + " --family-id " + zeros32 + " --image-id " + zeros32
                    + " --policy 0x30000 --out-block " + block + " --out-auth " + auth,
                "vmm: error: --digest must be 48 bytes (96 hex digits), not 1"},
            {"id-block --id-key " + idKey + " --family-id " + zeros32 + " --image-id " + zeros32
                    + " --policy 0x30000 --out-block " + block + " --out-auth " + auth,
                "vmm: error: the launch digest is needed: --digest HEX, or --firmware FILE to compute it"},
            {"id-block --digest " + "00".repeat(48) + " --id-key " + idKey + " --family-id 01 --image-id " + zeros32
                    + " --policy 0x30000 --out-block " + block + " --out-auth " + auth,
                "vmm: error: --family-id must be 16 bytes (32 hex digits), not 1"},
            {"id-block --firmware " + TEST_GUEST + " --mode sev-es --cpu-model EPYC --id-key " + idKey + " --family-id "
                    + zeros32 + " --image-id " + zeros32 + " --policy 0x30000 --out-block " + block + " --out-auth " + auth,
                "vmm: error: --mode sev-es: ID blocks are for snp guests only"},
            {"id-block --digest " + "00".repeat(48) + " --id-key pom.xml --family-id " + zeros32 + " --image-id "
                    + zeros32 + " --policy 0x30000 --out-block " + block + " --out-auth " + auth,
                "vmm: error: pom.xml: no PEM private key"},
            {"run --confidential sev-snp --psp simulated --id-block " + idKey,
                "vmm: error: --id-block: goes with --id-auth"},
            {"run --confidential sev-snp --psp simulated --id-block " + idKey + " --id-auth " + idKey,
                "vmm: error: --id-block: " + idKey + ": 306 bytes, an ID block is 96"},
            {"run --confidential sev-es --psp simulated --id-block /nonexistent --id-auth " + idKey,
                "vmm: error: --id-block: is for sev-snp guests"},
            {"run --confidential sev-snp --psp simulated --id-block /nonexistent --id-auth " + idKey,
                "vmm: error: --id-block: /nonexistent: no such file"},
            {"run --id-block " + idKey, "vmm: error: --policy, --host-data, --id-block, --id-auth, --author-key-enabled and --launch-log need --confidential"},
        };
        for (String[] c : cases) {
            VmmProcessAccess.Result r = vmm(c[0].split(" "));
            assertThat(r.status()).as(c[0]).isEqualTo(1);
            assertThat(r.stderr()).as(c[0]).startsWith(c[1]).hasLineCount(1);
        }
    }

    private static void assertRunRefused(Path block, Path auth, boolean authorKey, List<String> extra, String detail)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "--confidential", "sev-snp", "--psp", "simulated",
                "--cpu-model", "EPYC-Milan", "--id-block", block.toString(), "--id-auth", auth.toString()));
        if (authorKey) {
            args.add("--author-key-enabled");
        }
        args.addAll(extra);
        VmmProcessAccess.Result r = VmmProcessAccess.run(args);
        assertThat(r.status()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stdout()).as("the guest never ran").isEmpty();
        assertThat(r.stderr()).hasLineCount(1).startsWith("vmm: error: KVM_SEV_SNP_LAUNCH_FINISH: EIO "
                + "(Input/output error), firmware error ").contains(detail);
    }

    private static ConfidentialLaunch.Result launch(IdBlockInput id, Long policy) throws Exception {
        Path block = null;
        Path auth = null;
        if (id != null) {
            Path dir = Files.createTempDirectory("id-block");
            block = Files.write(dir.resolve("block.bin"), id.idBlock());
            auth = Files.write(dir.resolve("auth.bin"), id.idAuth());
        }
        ConfidentialConfig conf = new ConfidentialConfig(SevMode.SEV_SNP, policy, PspKind.SIMULATED, "EPYC-Genoa", 1,
                null, null, block, auth, id != null && id.authorKey());
        VmConfig config = VmConfig.builder().memory(64L << 20).cpus(1).serial(new CharDevice.None()).confidential(conf)
                .build();
        AtomicReference<ConfidentialLaunch.Result> result = new AtomicReference<>();
        try (Machine machine = MachineBuilder.build(config, new Console(null, null), l -> result.set(l.result()))) {
            assertThat(machine.vcpus().runners()).hasSize(1);
        }
        return result.get();
    }

    private static void assertRefused(IdBlockInput id, Long policy, FirmwareError error) {
        // The PSP's error names the command and the firmware's code; it needs no build step around it.
        assertThatThrownBy(() -> launch(id, policy)).isInstanceOfSatisfying(PspException.class, p -> {
            assertThat(p.command()).isEqualTo("KVM_SEV_SNP_LAUNCH_FINISH");
            assertThat(p.firmwareError()).as(p.getMessage()).isEqualTo(error.code());
        });
    }

    private static VmmProcessAccess.Result vmm(String... args) throws Exception {
        return VmmProcessAccess.run(List.of(args));
    }

    private static Path resource(Path dir, String name) throws Exception {
        try (InputStream in = IdBlockLaunchTest.class.getResourceAsStream("/idblock/" + name)) {
            Path file = dir.resolve(name);
            Files.write(file, in.readAllBytes());
            return file;
        }
    }

    private static KeyPair p384() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        return g.generateKeyPair();
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
