package dev.vmm.app.cli;

import dev.vmm.app.config.ConfigException;
import dev.vmm.app.config.ConfigFiles;
import dev.vmm.app.config.Hex;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.attest.GuestPolicy;
import dev.vmm.sev.idblock.EcKeyFile;
import dev.vmm.sev.idblock.IdBlock;
import dev.vmm.sev.idblock.IdBlockSigner;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vmm id-block}: the guest owner's side of an SEV-SNP ID block. Signs the launch digest it
 * expects (given, or computed as {@code measure} does) with its ID key and optionally its author key,
 * writes the ID block and ID authentication files that {@code run --id-block --id-auth} hands to
 * SNP_LAUNCH_FINISH, and prints the key digests attestation reports will carry.
 */
@Command(name = "id-block", sortOptions = false,
        description = {"Build and sign an SEV-SNP ID block and ID authentication structure for SNP_LAUNCH_FINISH.",
            "The launch digest is --digest, or computed from --firmware and the other measure options."})
public final class IdBlockCommand implements LaunchOptions.Taker, Callable<Integer> {
    // No mixinStandardHelpOptions: --version is the ID block's VERSION here.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--digest", paramLabel = "HEX", description = "The expected launch digest (48 bytes).")
    String digest;

    @Option(names = "--firmware", paramLabel = "FILE",
            description = "Compute the launch digest for this firmware (OVMF) image, as vmm measure does.")
    Path firmware;

    @Option(names = "--mode", paramLabel = "snp", defaultValue = "snp",
            description = "With --firmware: the guest type; ID blocks exist for snp only (default).")
    String mode;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "1", description = "With --firmware: vCPUs (default: ${DEFAULT-VALUE}).")
    int cpus;

    LaunchOptions launch = new LaunchOptions();     // mixed in by VmmCommand

    @Override
    public LaunchOptions launchOptions() {
        return launch;
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--id-key", required = true, paramLabel = "PEM",
            description = "P-384 private key that signs the ID block (PKCS#8 or SEC1 EC PRIVATE KEY).")
    Path idKey;

    @Option(names = "--author-key", paramLabel = "PEM",
            description = "P-384 private key that signs the ID key; launch with --author-key-enabled then.")
    Path authorKey;

    @Option(names = "--family-id", required = true, paramLabel = "HEX", description = "FAMILY_ID, 16 bytes.")
    String familyId;

    @Option(names = "--image-id", required = true, paramLabel = "HEX", description = "IMAGE_ID, 16 bytes.")
    String imageId;

    @Option(names = "--version", paramLabel = "N", defaultValue = "1",
            description = "The ID block format VERSION (default: ${DEFAULT-VALUE}, the only one the firmware accepts).")
    long version;

    @Option(names = "--svn", paramLabel = "N", defaultValue = "0", description = "GUEST_SVN (default: ${DEFAULT-VALUE}).")
    long svn;

    @Option(names = "--policy", required = true, paramLabel = "HEX",
            description = "The guest policy the launch will use (run's default is 0x30000).")
    String policy;

    @Option(names = "--out-block", required = true, paramLabel = "FILE", description = "Where to write the 96-byte ID block.")
    Path outBlock;

    @Option(names = "--out-auth", required = true, paramLabel = "FILE",
            description = "Where to write the 4096-byte ID authentication structure.")
    Path outAuth;

    @Override
    public Integer call() {
        long guestPolicy = Hex.parseLong("--policy", policy);
        new GuestPolicy(guestPolicy).launchRefusal().ifPresent(why -> {
            throw new ConfigException("--policy " + why);
        });
        byte[] ld = launchDigest();
        IdBlock block = new IdBlock(ld, sixteen("--family-id", familyId), sixteen("--image-id", imageId),
                u32("--version", version), u32("--svn", svn), guestPolicy);
        KeyPair id = EcKeyFile.read(idKey);
        KeyPair author = authorKey == null ? null : EcKeyFile.read(authorKey);
        IdBlockSigner.Signed signed = IdBlockSigner.sign(block, id, author);
        ConfigFiles.write("--out-block", outBlock, signed.idBlock());
        ConfigFiles.write("--out-auth", outAuth, signed.idAuth());
        HexFormat hex = HexFormat.of();
        if (version != IdBlock.VERSION_1) {
            System.err.println("vmm: warning: the firmware refuses ID blocks of VERSION " + version);
        }
        System.out.println("launch digest:     " + hex.formatHex(ld));
        System.out.println("id block:          " + outBlock + " (" + signed.idBlock().length + " bytes)");
        System.out.println("id auth:           " + outAuth + " (" + signed.idAuth().length + " bytes)");
        System.out.println("id_key_digest:     " + hex.formatHex(signed.idKeyDigest()));
        System.out.println("author_key_digest: " + (signed.authorKeyDigest() == null
                ? "none (no --author-key: run without --author-key-enabled)" : hex.formatHex(signed.authorKeyDigest())));
        return 0;
    }

    private byte[] launchDigest() {
        if (digest != null) {
            if (firmware != null || LaunchOptions.anyGiven(spec.commandLine().getParseResult())) {
                throw new ConfigException("--digest gives the launch digest: --firmware and the measure options "
                        + "(--cpus, --cpu-model, --guest-features, --kernel, ...) are for computing it instead");
            }
            byte[] ld = Hex.parseBytes("--digest", digest);
            if (ld.length != IdBlock.LD_SIZE) {
                throw new ConfigException("--digest must be 48 bytes (96 hex digits), not " + ld.length);
            }
            return ld;
        }
        if (firmware == null) {
            throw new ConfigException("the launch digest is needed: --digest HEX, or --firmware FILE to compute it");
        }
        SevMode m;
        try {
            m = SevMode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--mode: " + e.getMessage());
        }
        if (m != SevMode.SEV_SNP) {
            throw new ConfigException("--mode " + mode + ": ID blocks are for snp guests only");
        }
        return ExpectedDigest.compute(m, firmware, cpus, launch);
    }

    private static byte[] sixteen(String option, String text) {
        byte[] b = Hex.parseBytes(option, text);
        if (b.length != IdBlock.ID_SIZE) {
            throw new ConfigException(option + " must be 16 bytes (32 hex digits), not " + b.length);
        }
        return b;
    }

    private static int u32(String option, long value) {
        if (value < 0 || value > 0xffff_ffffL) {
            throw new ConfigException(option + " " + value + ": not a 32-bit unsigned number");
        }
        return (int) value;
    }

}
