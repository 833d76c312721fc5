package dev.vmm.sev.platform.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.sev.attest.Product;
import dev.vmm.sev.platform.DevSevPlatform;
import dev.vmm.sev.platform.PlatformException;
import dev.vmm.sev.platform.PlatformState;
import dev.vmm.sev.platform.SnpConfig;
import dev.vmm.sev.tcb.TcbVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedPlatformStoreTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void consecutiveLoadsSeeOnePlatform(@TempDir Path dir) {
        SimulatedPlatformStore store = new SimulatedPlatformStore(dir.resolve("sub/platform.properties"));
        SimulatedSevFirmware first = store.loadOrManufacture(random);
        DevSevPlatform p = new DevSevPlatform(new SimulatedSevDevice(first, true));
        p.pekGen();
        first.activateGuest(false);
        p.snpCommit();
        byte[] export = p.pdhCertExport().chain();
        store.save(first);

        SimulatedSevFirmware second = store.loadOrManufacture(random);
        DevSevPlatform q = new DevSevPlatform(new SimulatedSevDevice(second, true));
        assertThat(q.getId()).isEqualTo(first.getId());
        assertThat(q.status().state()).isEqualTo(PlatformState.WORKING);
        assertThat(q.status().guestCount()).isEqualTo(1);
        assertThat(q.pdhCertExport().chain()).isEqualTo(export);
        assertThat(second.committedTcb()).isEqualTo(first.committedTcb());
        assertThat(q.snpStatus()).isEqualTo(p.snpStatus());
        // The keys came back too: the reloaded PEK still signs a new PDH that verifies.
        second.deactivateGuest(false);
        q.pdhGen();
        assertThat(q.pdhCertExport().pdhCertificate().isSignedBy(q.pdhCertExport().chainCertificate(0))).isTrue();
    }

    @Test
    void theProductAndItsTcbLayoutComeBack(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("turin.properties");
        SimulatedPlatformStore store = new SimulatedPlatformStore(file);
        SimulatedSevFirmware turin = store.loadOrManufacture(random, Product.TURIN);
        DevSevPlatform p = new DevSevPlatform(new SimulatedSevDevice(turin, true));
        p.snpSetConfig(new SnpConfig(TcbVersion.turin(1, 1, 1, 3, 80), true, false));
        store.save(turin);
        assertThat(Files.readString(file)).containsPattern("(?m)^product=Turin$");

        SimulatedSevFirmware again = store.loadOrManufacture(random, Product.MILAN);
        assertThat(again.product()).as("the file's product, not the one for a new chip").isEqualTo(Product.TURIN);
        assertThat(new DevSevPlatform(new SimulatedSevDevice(again, true)).snpStatus()).isEqualTo(p.snpStatus());

        // Files from before the product was recorded hold Milan chips.
        String text = Files.readString(file);
        Path milan = dir.resolve("milan.properties");
        SimulatedPlatformStore milanStore = new SimulatedPlatformStore(milan);
        milanStore.save(SimulatedSevFirmware.manufacture(random));
        Files.writeString(milan, Files.readString(milan).replaceAll("(?m)^product=.*\\R", ""));
        assertThat(milanStore.loadOrManufacture(random, Product.TURIN).product()).isEqualTo(Product.MILAN);

        Files.writeString(file, text.replaceAll("(?m)^product=.*$", "product=Rome"));
        assertThatThrownBy(() -> store.loadOrManufacture(random)).isInstanceOf(PlatformException.class)
                .hasMessageContaining("product is 'Rome', not one of Milan, Genoa, Turin, Venice");
        // A Turin TCB read back as Milan would set reserved bytes; here a Milan file's TCB in a Turin file does.
        Files.writeString(file, text.replaceAll("(?m)^current_tcb=.*$", "current_tcb=0x7308000000000003"));
        assertThatThrownBy(() -> store.loadOrManufacture(random)).hasMessageContaining("current_tcb 0x7308000000000003 "
                + "sets reserved TCB bits (bytes 4..6 of the Turin layout)");
    }

    @Test
    void aDamagedFileIsNamedWithTheKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("p.properties");
        SimulatedPlatformStore store = new SimulatedPlatformStore(file);
        store.save(SimulatedSevFirmware.manufacture(random));
        String text = Files.readString(file);
        Files.writeString(file, text.replaceAll("(?m)^state=.*$", "state=BROKEN"));
        assertThatThrownBy(() -> store.loadOrManufacture(random)).isInstanceOf(PlatformException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("state is 'BROKEN'");
        Files.writeString(file, text.replaceAll("(?m)^chip_id=.*$", "chip_id=00ff"));
        assertThatThrownBy(() -> store.loadOrManufacture(random)).hasMessageContaining("chip_id has 2 bytes, expected 64");
        Files.writeString(file, text.replaceAll("(?m)^pek\\.cert=.*$", ""));
        assertThatThrownBy(() -> store.loadOrManufacture(random)).hasMessageContaining("missing pek.cert");
    }
}
