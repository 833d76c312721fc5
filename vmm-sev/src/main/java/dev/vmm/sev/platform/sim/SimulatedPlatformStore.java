package dev.vmm.sev.platform.sim;

import dev.vmm.core.io.InputFile;
import dev.vmm.core.io.InputFileException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import dev.vmm.sev.attest.Product;
import dev.vmm.sev.platform.PlatformException;
import dev.vmm.sev.platform.PlatformState;
import dev.vmm.sev.platform.SevCertificate;
import dev.vmm.sev.tcb.TcbLayout;
import dev.vmm.sev.tcb.TcbVersion;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * Keeps a simulated platform in a properties file between runs, so that consecutive {@code vmm platform
 * --psp simulated --state FILE} commands see one platform, as consecutive ioctls on one host do. The
 * file holds private keys of the simulated chip: it is a test fixture, not a secret store.
 */
public final class SimulatedPlatformStore {
    private final Path file;

    public SimulatedPlatformStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** A state file holds keys and certificates of a few KiB. */
    static final long MAX_STATE = 1L << 20;

    /** The platform in the file, or a newly manufactured Milan one when the file does not exist yet. */
    public SimulatedSevFirmware loadOrManufacture(SecureRandom random) {
        return loadOrManufacture(random, Product.MILAN);
    }

    /** The platform in the file (of whatever product it holds), or a newly manufactured {@code forNew}. */
    public SimulatedSevFirmware loadOrManufacture(SecureRandom random, Product forNew) {
        if (!Files.exists(file)) {
            return SimulatedSevFirmware.manufacture(random, forNew);
        }
        Properties p = new Properties();
        try {
            // Bounded and regular (a FIFO would block); decoded strictly, so that garbage says where it is.
            byte[] bytes = InputFile.read(file, MAX_STATE, "platform state");
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
            p.load(new StringReader(text));
        } catch (InputFileException e) {
            throw new PlatformException(e.getMessage(), e);
        } catch (CharacterCodingException e) {
            throw new PlatformException(file + ": not a simulated platform state file (not UTF-8 text)", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new PlatformException(file + ": cannot read the simulated platform state: " + e.getMessage(), e);
        }
        SimulatedSevFirmware fw = new SimulatedSevFirmware(random, product(p));
        fw.chipId = hex(p, "chip_id", SimulatedSevFirmware.CHIP_ID_SIZE);
        fw.chipSecret = hex(p, "chip_secret", 32);
        fw.cek = keys(p, "cek");
        fw.oca = p.containsKey("oca.private") ? keys(p, "oca") : null;
        fw.ocaCert = cert(p, "oca.cert");
        fw.pek = keys(p, "pek");
        fw.pekCert = cert(p, "pek.cert");
        fw.pdh = keys(p, "pdh");
        fw.pdhCert = cert(p, "pdh.cert");
        fw.externallyOwned = bool(p, "externally_owned");
        fw.state = PlatformState.valueOf(choice(p, "state", "UNINIT", "INIT", "WORKING"));
        fw.sevGuests = count(p, "sev_guests");
        fw.snpInitialized = bool(p, "snp_initialized");
        fw.snpGuests = count(p, "snp_guests");
        TcbLayout layout = fw.product().tcbLayout();
        fw.currentTcb = tcb(p, "current_tcb", layout);
        fw.committedTcb = tcb(p, "committed_tcb", layout);
        fw.reportedTcb = tcb(p, "reported_tcb", layout);
        fw.maskChipId = bool(p, "mask_chip_id");
        fw.maskChipKey = bool(p, "mask_chip_key");
        fw.vlekLoaded = bool(p, "vlek_loaded");
        if (fw.oca == null != fw.externallyOwned) {
            throw new PlatformException(file + ": oca.private must be present exactly when externally_owned is false");
        }
        return fw;
    }

    /** Writes the platform atomically (a temporary file renamed over the old one). */
    public void save(SimulatedSevFirmware fw) {
        Properties p = new Properties();
        HexFormat hex = HexFormat.of();
        p.setProperty("chip_id", hex.formatHex(fw.chipId));
        p.setProperty("product", fw.product().kdsName());
        p.setProperty("chip_secret", hex.formatHex(fw.chipSecret));
        putKeys(p, "cek", fw.cek);
        if (fw.oca != null) {
            putKeys(p, "oca", fw.oca);
        }
        p.setProperty("oca.cert", b64(fw.ocaCert.encode()));
        putKeys(p, "pek", fw.pek);
        p.setProperty("pek.cert", b64(fw.pekCert.encode()));
        putKeys(p, "pdh", fw.pdh);
        p.setProperty("pdh.cert", b64(fw.pdhCert.encode()));
        p.setProperty("externally_owned", Boolean.toString(fw.externallyOwned));
        p.setProperty("state", fw.state.name());
        p.setProperty("sev_guests", Integer.toString(fw.sevGuests));
        p.setProperty("snp_initialized", Boolean.toString(fw.snpInitialized));
        p.setProperty("snp_guests", Integer.toString(fw.snpGuests));
        p.setProperty("current_tcb", String.format("0x%016x", fw.currentTcb.raw()));
        p.setProperty("committed_tcb", String.format("0x%016x", fw.committedTcb.raw()));
        p.setProperty("reported_tcb", String.format("0x%016x", fw.reportedTcb.raw()));
        p.setProperty("mask_chip_id", Boolean.toString(fw.maskChipId));
        p.setProperty("mask_chip_key", Boolean.toString(fw.maskChipKey));
        p.setProperty("vlek_loaded", Boolean.toString(fw.vlekLoaded));
        try {
            StringWriter w = new StringWriter();
            p.store(w, "SIMULATED SEV platform of the vmm command's simulated PSP; holds the simulated chip's private keys");
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, w.toString());
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new PlatformException(file + ": cannot write the simulated platform state: " + e.getMessage(), e);
        }
    }

    private String value(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new PlatformException(file + ": missing " + key);
        }
        return v.trim();
    }

    private byte[] hex(Properties p, String key, int size) {
        try {
            byte[] b = HexFormat.of().parseHex(value(p, key));
            if (b.length != size) {
                throw new PlatformException(file + ": " + key + " has " + b.length + " bytes, expected " + size);
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw new PlatformException(file + ": " + key + " is not hex: " + e.getMessage());
        }
    }

    private KeyPair keys(Properties p, String key) {
        try {
            return SimulatedKeys.decode(Base64.getDecoder().decode(value(p, key + ".private")),
                    Base64.getDecoder().decode(value(p, key + ".public")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new PlatformException(file + ": " + key + " is not a P-384 key pair: " + e.getMessage());
        }
    }

    private SevCertificate cert(Properties p, String key) {
        try {
            return SevCertificate.parse(Base64.getDecoder().decode(value(p, key)), file + ": " + key);
        } catch (IllegalArgumentException e) {
            throw new PlatformException(file + ": " + key + " is not base64: " + e.getMessage());
        }
    }

    private boolean bool(Properties p, String key) {
        return Boolean.parseBoolean(choice(p, key, "true", "false"));
    }

    private String choice(Properties p, String key, String... allowed) {
        String v = value(p, key);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new PlatformException(file + ": " + key + " is '" + v + "', not one of " + String.join(", ", allowed));
    }

    private int count(Properties p, String key) {
        try {
            int n = Integer.parseInt(value(p, key));
            if (n < 0) {
                throw new NumberFormatException("negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new PlatformException(file + ": " + key + " is not a count: " + e.getMessage());
        }
    }

    /** The chip's CPU generation; files written before it was recorded hold Milan chips, the only kind then. */
    private Product product(Properties p) {
        String name = p.getProperty("product");
        if (name == null) {
            return Product.MILAN;
        }
        return Product.byName(name.trim()).orElseThrow(() -> new PlatformException(file + ": product is '" + name.trim()
                + "', not one of " + Arrays.stream(Product.values()).map(Product::kdsName).collect(Collectors.joining(", "))));
    }

    private TcbVersion tcb(Properties p, String key, TcbLayout layout) {
        String v = value(p, key);
        try {
            long raw = Long.parseUnsignedLong(v.startsWith("0x") ? v.substring(2) : v, 16);
            if (layout.reservedBits(raw) != 0) {
                throw new PlatformException(file + ": " + key + " " + v + " sets reserved TCB bits (" + layout.reservedBytes()
                        + " of the " + layout.label() + " layout)");
            }
            return TcbVersion.of(raw, layout);
        } catch (NumberFormatException e) {
            throw new PlatformException(file + ": " + key + " is not a hex TCB version: " + v);
        }
    }

    private static void putKeys(Properties p, String key, KeyPair k) {
        p.setProperty(key + ".private", b64(k.getPrivate().getEncoded()));
        p.setProperty(key + ".public", b64(k.getPublic().getEncoded()));
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
