package dev.vmm.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vmm.app.config.ConfigException;
import dev.vmm.app.config.ConfigFiles;
import dev.vmm.app.config.Hex;
import dev.vmm.core.io.InputFile;
import dev.vmm.sev.platform.PdhCertExport;
import dev.vmm.sev.platform.PlatformLayouts;
import dev.vmm.sev.platform.PlatformStatus;
import dev.vmm.sev.platform.SevCertificate;
import dev.vmm.sev.platform.SevPlatform;
import dev.vmm.sev.platform.SnpConfig;
import dev.vmm.sev.platform.SnpPlatformStatus;
import dev.vmm.sev.tcb.TcbLayout;
import dev.vmm.sev.tcb.TcbVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code vmm platform}: the SEV platform management commands of {@code /dev/sev}, against the host's
 * firmware or (with {@code --psp simulated}) the simulated platform, through the same struct encoding.
 */
@Command(name = "platform", mixinStandardHelpOptions = true,
        description = "SEV/SNP platform management through /dev/sev (or the simulated platform).",
        subcommands = {PlatformCommand.Status.class, PlatformCommand.SnpStatus.class, PlatformCommand.FactoryReset.class,
                PlatformCommand.PekGen.class, PlatformCommand.PekCsr.class, PlatformCommand.PdhGen.class,
                PlatformCommand.PdhCertExportCmd.class, PlatformCommand.PekCertImport.class, PlatformCommand.GetId.class,
                PlatformCommand.SnpCommit.class, PlatformCommand.SnpSetConfig.class, PlatformCommand.VlekLoad.class})
public final class PlatformCommand {
    /** Made on first use: picocli instantiates every subcommand at start-up, and run needs no Jackson. */
    static ObjectMapper json() {
        return Json.MAPPER;
    }

    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    /** One subcommand: runs against the opened platform, then prints its result as text or JSON. */
    abstract static class Sub implements Callable<Integer> {
        @Mixin
        PlatformOptions options = new PlatformOptions();

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Spec
        CommandLine.Model.CommandSpec spec;

        /** Fills {@code out} (JSON members, in order) and returns the text for a person. */
        abstract String run(SevPlatform platform, Map<String, Object> out);

        @Override
        public Integer call() {
            PlatformOptions.Opened opened = options.open();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("platform", opened.platform().description());
            out.put("simulated", opened.platform().isSimulated());
            String text;
            try (SevPlatform p = opened.platform()) {
                text = run(p, out);
            } finally {
                opened.saveSimulated();
            }
            PrintWriter w = spec.commandLine().getOut();
            if (options.json) {
                try {
                    w.println(json().writeValueAsString(out));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            } else {
                if (opened.platform().isSimulated()) {
                    w.println("SIMULATED platform (" + opened.store().file() + ")");
                }
                w.print(text);
            }
            w.flush();
            return 0;
        }
    }

    @Command(name = "status", description = "SEV PLATFORM_STATUS: API version, state, owner, guests.")
    static final class Status extends Sub {
        @Override
        String run(SevPlatform platform, Map<String, Object> out) {
            PlatformStatus s = platform.status();
            out.put("api_major", s.apiMajor());
            out.put("api_minor", s.apiMinor());
            out.put("build", s.build());
            out.put("state", s.state().name());
            out.put("flags", s.flags());
            out.put("owner", s.externallyOwned() ? "external" : "self");
            out.put("config_es", s.sevEsInitialised());
            out.put("guest_count", s.guestCount());
            return String.format("API version: %d.%d build %d%nstate: %s%nowner: %s%nSEV-ES initialised: %s%nguests: %d%n",
                    s.apiMajor(), s.apiMinor(), s.build(), s.state(), s.externallyOwned() ? "external (OCA imported)"
                            : "self", s.sevEsInitialised() ? "yes" : "no", s.guestCount());
        }
    }

    @Command(name = "snp-status", description = "SNP_PLATFORM_STATUS: SNP state, TCB versions, configuration.")
    static final class SnpStatus extends Sub {
        @Override
        String run(SevPlatform platform, Map<String, Object> out) {
            SnpPlatformStatus s = platform.snpStatus();
            out.put("api_major", s.apiMajor());
            out.put("api_minor", s.apiMinor());
            out.put("build_id", s.buildId());
            out.put("state", s.state() == 1 ? "INIT" : s.state() == 0 ? "UNINIT" : Integer.toString(s.state()));
            out.put("rmp_initialized", s.rmpInitialized());
            out.put("mask_chip_id", s.maskChipId());
            out.put("mask_chip_key", s.maskChipKey());
            out.put("vlek_enabled", s.vlekEnabled());
            out.put("guest_count", s.guestCount());
            out.put("current_tcb", tcb(s.currentTcb()));
            out.put("reported_tcb", tcb(s.reportedTcb()));
            return String.format("SNP API version: %d.%d build %d%nstate: %s%nRMP initialised: %s%n"
                            + "mask chip ID: %s%nmask chip key: %s%nVLEK loaded: %s%nguests: %d%n"
                            + "current TCB: %s%nreported TCB: %s%n", s.apiMajor(), s.apiMinor(), s.buildId(),
                    out.get("state"), yes(s.rmpInitialized()), yes(s.maskChipId()), yes(s.maskChipKey()),
                    yes(s.vlekEnabled()), s.guestCount(), s.currentTcb().describe(), s.reportedTcb().describe());
        }
    }

    @Command(name = "factory-reset", description = "FACTORY_RESET: forget the owner, new PEK and PDH.")
    static final class FactoryReset extends Sub {
        @Override
        String run(SevPlatform platform, Map<String, Object> out) {
            platform.factoryReset();
            out.put("done", "FACTORY_RESET");
            return "FACTORY_RESET done: the platform is self-owned with a new PEK and PDH\n";
        }
    }

    @Command(name = "pek-gen", description = "PEK_GEN: new PEK (and OCA, PDH); the platform becomes self-owned.")
    static final class PekGen extends Sub {
        @Override
        String run(SevPlatform platform, Map<String, Object> out) {
            platform.pekGen();
            out.put("done", "PEK_GEN");
            return "PEK_GEN done: new self-signed OCA, PEK and PDH\n";
        }
    }

    @Command(name = "pdh-gen", description = "PDH_GEN: a new PDH key, signed by the PEK.")
    static final class PdhGen extends Sub {
        @Override
        String run(SevPlatform platform, Map<String, Object> out) {
            platform.pdhGen();
            out.put("done", "PDH_GEN");
            return "PDH_GEN done\n";
        }
    }

    @Command(name = "pek-csr", description = "PEK_CSR: the unsigned PEK certificate, for an owner's OCA to sign.")
    static final class PekCsr extends Sub {
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the CSR.")
        Path outFile;

        @Override
        String run(SevPlatform platform, Map<String, Object> out) {
            byte[] csr = platform.pekCsr();
            ConfigFiles.write("--out", outFile, csr);
            out.put("file", outFile.toString());
            out.put("bytes", csr.length);
            SevCertificate certificate = SevCertificate.parse(csr, "PEK CSR");
            out.put("certificate", describe(certificate));
            return String.format("PEK CSR: %d bytes written to %s%n  %s%n", csr.length, outFile, certificate);
        }
    }

    @Command(name = "pdh-cert-export", description = "PDH_CERT_EXPORT: pdh.cert, pek.cert, oca.cert, cek.cert.")
    static final class PdhCertExportCmd extends Sub {
        @Option(names = "--out-dir", required = true, paramLabel = "DIR", description = "Directory for the certificates.")
        Path dir;

        @Override
        String run(SevPlatform platform, Map<String, Object> out) {
            // The directory is made (as mkdir, not mkdir -p: a typo in its parent is refused).
            ConfigFiles.requireDirectory("--out-dir", dir);
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new ConfigException("--out-dir", dir + ": cannot create: " + InputFile.reason(e));
            }
            PdhCertExport export = platform.pdhCertExport();
            StringBuilder text = new StringBuilder();
            Map<String, Object> files = new LinkedHashMap<>();
            String[] names = {"pek.cert", "oca.cert", "cek.cert"};
            SevCertificate pdh = export.pdhCertificate();
            ConfigFiles.write("--out-dir", dir.resolve("pdh.cert"), export.pdh());
            files.put("pdh.cert", describe(pdh));
            text.append(String.format("%s: %s%n", dir.resolve("pdh.cert"), pdh));
            SevCertificate[] chain = new SevCertificate[3];
            for (int i = 0; i < 3; i++) {
                chain[i] = export.chainCertificate(i);
                ConfigFiles.write("--out-dir", dir.resolve(names[i]), chain[i].encode());
                files.put(names[i], describe(chain[i]));
                text.append(String.format("%s: %s%n", dir.resolve(names[i]), chain[i]));
            }
            boolean pdhByPek = pdh.isSignedBy(chain[0]);
            boolean pekByOca = chain[0].isSignedBy(chain[1]);
            boolean pekByCek = chain[0].isSignedBy(chain[2]);
            boolean ocaSelf = chain[1].isSignedBy(chain[1]);
            out.put("certificates", files);
            out.put("verified", Map.of("pdh_signed_by_pek", pdhByPek, "pek_signed_by_oca", pekByOca,
                    "pek_signed_by_cek", pekByCek, "oca_self_signed", ocaSelf));
            text.append(String.format("signatures: PDH by PEK %s, PEK by OCA %s, PEK by CEK %s, OCA self-signed %s%n",
                    ok(pdhByPek), ok(pekByOca), ok(pekByCek), ok(ocaSelf)));
            return text.toString();
        }
    }

    @Command(name = "pek-cert-import", description = "PEK_CERT_IMPORT: take ownership with an OCA-signed PEK.")
    static final class PekCertImport extends Sub {
        @Option(names = "--pek-cert", required = true, paramLabel = "FILE", description = "The PEK CSR signed by the OCA.")
        Path pek;

        @Option(names = "--oca-cert", required = true, paramLabel = "FILE", description = "The self-signed OCA certificate.")
        Path oca;

        @Override
        String run(SevPlatform platform, Map<String, Object> out) {
            platform.pekCertImport(ConfigFiles.read("--pek-cert", pek), ConfigFiles.read("--oca-cert", oca));
            out.put("done", "PEK_CERT_IMPORT");
            return "PEK_CERT_IMPORT done: the platform is owned by the OCA of " + oca + "\n";
        }
    }

    @Command(name = "get-id", description = "GET_ID: the chip's unique ID (hex).")
    static final class GetId extends Sub {
        @Override
        String run(SevPlatform platform, Map<String, Object> out) {
            String id = HexFormat.of().formatHex(platform.getId());
            out.put("id", id);
            return id + "\n";
        }
    }

    @Command(name = "snp-commit", description = "SNP_COMMIT: commit the running firmware (no rollback below it).")
    static final class SnpCommit extends Sub {
        @Override
        String run(SevPlatform platform, Map<String, Object> out) {
            platform.snpCommit();
            out.put("done", "SNP_COMMIT");
            return "SNP_COMMIT done\n";
        }
    }

    @Command(name = "snp-set-config", description = "SNP_SET_CONFIG: reported TCB and attestation report masking.")
    static final class SnpSetConfig extends Sub {
        @Option(names = "--reported-tcb", required = true, paramLabel = "HEX",
                description = "TCB version for attestation reports, 64-bit hex in the platform's layout (Milan/Genoa "
                        + "or Turin, by CPU generation; not above the current TCB).")
        String reportedTcb;

        @Option(names = "--mask-chip-id", description = "Leave the chip ID out of attestation reports.")
        boolean maskChipId;

        @Option(names = "--mask-chip-key", description = "Do not sign attestation reports with the chip key.")
        boolean maskChipKey;

        @Override
        String run(SevPlatform platform, Map<String, Object> out) {
            long raw = Hex.parseLong("--reported-tcb", reportedTcb);
            TcbLayout layout = platform.tcbLayout();
            if (layout.reservedBits(raw) != 0) {
                throw new ConfigException(String.format("--reported-tcb: 0x%016x sets reserved bits 0x%016x "
                        + "(%s of a TCB version are reserved in the %s layout of this platform)", raw,
                        layout.reservedBits(raw), layout.reservedBytes(), layout.label()));
            }
            TcbVersion tcb = TcbVersion.of(raw, layout);
            platform.snpSetConfig(new SnpConfig(tcb, maskChipId, maskChipKey));
            out.put("reported_tcb", tcb(tcb));
            out.put("mask_chip_id", maskChipId);
            out.put("mask_chip_key", maskChipKey);
            return String.format("SNP_SET_CONFIG done: reported TCB %s, mask chip ID %s, mask chip key %s%n", tcb.describe(),
                    yes(maskChipId), yes(maskChipKey));
        }
    }

    @Command(name = "vlek-load", description = "SNP_VLEK_LOAD: load a wrapped VLEK hashstick (432 bytes).")
    static final class VlekLoad extends Sub {
        @Option(names = "--wrapped", required = true, paramLabel = "FILE", description = "The wrapped VLEK hashstick.")
        Path wrapped;

        @Override
        String run(SevPlatform platform, Map<String, Object> out) {
            byte[] hashstick = ConfigFiles.read("--wrapped", wrapped);
            long size = PlatformLayouts.SEV_USER_DATA_SNP_WRAPPED_VLEK_HASHSTICK.byteSize();
            if (hashstick.length != size) {
                throw new ConfigException("--wrapped", wrapped + ": " + hashstick.length + " bytes; a wrapped VLEK hashstick is " + size);
            }
            platform.vlekLoad(hashstick);
            out.put("done", "SNP_VLEK_LOAD");
            return "SNP_VLEK_LOAD done: the VLEK signs attestation reports from now on\n";
        }
    }

    static Map<String, Object> tcb(TcbVersion t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("raw", String.format("0x%016x", t.raw()));
        m.put("layout", t.layout().label());
        t.fmc().ifPresent(fmc -> m.put("fmc", fmc));
        m.put("bootloader", t.bootLoader());
        m.put("tee", t.tee());
        m.put("snp", t.snp());
        m.put("microcode", t.microcode());
        return m;
    }

    static Map<String, Object> describe(SevCertificate c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("usage", SevCertificate.usageName(c.pubkeyUsage()));
        m.put("algorithm", SevCertificate.algoName(c.pubkeyAlgo()));
        m.put("api", c.apiMajor() + "." + c.apiMinor());
        for (int slot = 0; slot < 2; slot++) {
            SevCertificate.SignatureSlot s = c.signature(slot);
            m.put("signature" + (slot + 1), s.isEmpty() ? "empty"
                    : SevCertificate.usageName(s.usage()) + " " + SevCertificate.algoName(s.algo()));
        }
        return m;
    }

    private static String yes(boolean b) {
        return b ? "yes" : "no";
    }

    private static String ok(boolean b) {
        return b ? "ok" : "FAILED";
    }


}
