package dev.vmm.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What a careless user types (issue 15), through the packaged VMM: each is one "vmm: error:" line that
 * says what is wrong and names the option, a non-zero status within seconds, and nothing created.
 */
class CarelessInputTest {
    private static final String IDS = " --family-id " + "00".repeat(16) + " --image-id " + "00".repeat(16);
    @TempDir static Path dir;

    @BeforeAll
    static void files() throws Exception {
        byte[] random = new byte[2 << 20];
        new Random(15).nextBytes(random);
        Files.write(dir.resolve("random.fd"), random);
        Files.copy(Path.of("../vmm-sev/src/test/resources/idblock/virtee_test_id_key.pem"), dir.resolve("id.pem"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            run --cpus x                     | Invalid value for option '--cpus': 'x' is not an int (see 'vmm run --help')
            run --no-such-option             | Unknown option: '--no-such-option' (see 'vmm run --help')
            run extra                        | Unmatched argument at index 1: 'extra' (see 'vmm run --help')
            measure --firmware F             | Missing required option: '--mode=sev|sev-es|snp' (see 'vmm measure --help')
            run --memory 64T                 | --memory: 64 TiB is more than KVM maps in one memory slot
            run --memory 2M                  | --memory: 2 MiB is too small
            run --cpus 255                   | --cpus: 255 is not 1 to 254
            measure --mode sev --cpus 300 --firmware /usr/share/ovmf/OVMF.fd | --cpus: 300 is not 1 to 254
            measure --mode xyz --firmware /usr/share/ovmf/OVMF.fd | --mode: 'xyz' is not a confidential mode (sev, sev-es, snp or sev-snp)
            id-block --digest D --id-key DIR/id.pem IDS --policy 0x0 --out-block DIR/b --out-auth DIR/a | --policy 0x0: bit 17 is reserved and must be 1
            run --confidential sev-snp --psp simulated --cpu-model EPYC-Milan --policy 0x0 | --policy: 0x0: bit 17 is reserved and must be 1
            id-block --digest D --id-key DIR/id.pem IDS --policy 0x30000 --out-block DIR/none/b --out-auth DIR/a | --out-block: DIR/none/b: no directory DIR/none
            run --vsock cid=2,socket=DIR/v.sock | --vsock: 2 is not a guest CID (3 to 4294967294
            run --vsock cid=3                | --vsock: 'cid=3' needs cid=N and socket=PATH
            run --vsock cid=x,socket=DIR/v.sock | --vsock: cid='x' in 'cid=x,socket=DIR/v.sock' is not a number
            run --vsock cid=3,socket=DIR/random.fd | --vsock: DIR/random.fd: exists (another VMM's socket?
            run --vsock cid=3,socket=DIR/none/v.sock | --vsock: DIR/none/v.sock: no directory DIR/none
            attestation show --report ../vmm-sev/src/test/resources/attest/milan/trustee_report_v2.bin --product rome | --product: 'rome' is not one of milan, genoa, turin, venice
            """)
    void oneLineThatSaysWhy(String command, String expected) throws Exception {
        String[] args = command.replace("IDS", IDS.strip()).replace("DIR", dir.toString()).replace("--digest D", "--digest " + "00".repeat(48))
                .replace("--firmware F", "--firmware /usr/share/ovmf/OVMF.fd").split(" +");
        long filesBefore = count();
        long t0 = System.nanoTime();
        VmmProcess r = VmmProcess.run(args);
        assertThat((System.nanoTime() - t0) / 1e9).as("seconds").isLessThan(20);
        assertThat(r.status()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr().lines().toList()).as(r.stderr()).hasSize(1);
        assertThat(r.stderr()).startsWith("vmm: error: " + expected.replace("DIR", dir.toString()));
        assertThat(r.stdout()).isEmpty();
        assertThat(count()).as("files in " + dir).isEqualTo(filesBefore);
    }

    /** Allowed, but said: the command works and a warning line says what may go wrong. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            measure --mode sev --firmware DIR/random.fd | vmm: warning: DIR/random.fd has no OVMF footer table
            run --memory HOST+1G                        | vmm: warning: guest memory HOST+1 GiB is more than this host's
            """)
    void aWarningLineAndTheWorkDone(String command, String warning) throws Exception {
        // Guest RAM is mapped lazily: a guest that touches little of it runs (as QEMU's does).
        long hostGib = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", "")) >> 20).findFirst().orElseThrow();
        command = command.replace("HOST+1", String.valueOf(hostGib + 1));
        warning = warning.replace("HOST+1", String.valueOf(hostGib + 1));
        VmmProcess r = VmmProcess.run(command.replace("DIR", dir.toString()).split(" +"));
        assertThat(r.status()).as(r.stderr()).isZero();
        assertThat(r.stderr()).startsWith(warning.replace("DIR", dir.toString())).hasLineCount(1);
        assertThat(r.stdout()).isNotEmpty();
    }

    private static long count() throws Exception {
        try (var all = Files.walk(dir)) {
            return all.count();
        }
    }
}
