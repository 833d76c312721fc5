package dev.vmm.app.cli;

import dev.vmm.app.config.ConfigException;
import dev.vmm.sev.attest.Product;
import dev.vmm.sev.platform.DevSevPlatform;
import dev.vmm.sev.platform.SevPlatform;
import dev.vmm.sev.platform.sim.SimulatedPlatformStore;
import dev.vmm.sev.platform.sim.SimulatedSevDevice;
import dev.vmm.sev.platform.sim.SimulatedSevFirmware;
import java.nio.file.Path;
import java.security.SecureRandom;
import picocli.CommandLine.Option;

/**
 * Options every {@code vmm platform} command shares: which platform answers, and where the simulated
 * one keeps its state between invocations.
 */
public final class PlatformOptions {
    @Option(names = "--psp", paramLabel = "kvm|simulated", defaultValue = "kvm",
            description = "kvm: the host's /dev/sev; simulated: the simulated platform (default: ${DEFAULT-VALUE}).")
    String psp;

    @Option(names = "--state", paramLabel = "FILE",
            description = "The simulated platform's state file, created on first use "
                    + "(default: ~/.vmm/simulated-sev-platform.properties).")
    Path state;

    @Option(names = "--product", paramLabel = "milan|genoa|turin|venice",
            description = "The CPU generation a new simulated platform stands for, which fixes its TCB layout "
                    + "(default: milan). The host's /dev/sev follows the host CPU.")
    String product;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    /** The platform and, for the simulated one, the store to save it to after the command. */
    record Opened(SevPlatform platform, SimulatedPlatformStore store, SimulatedSevFirmware firmware) {
        void saveSimulated() {
            if (store != null) {
                store.save(firmware);
            }
        }
    }

    Opened open() {
        switch (psp) {
            case "kvm" -> {
                if (state != null || product != null) {
                    throw new ConfigException((state != null ? "--state" : "--product") + " is for --psp simulated");
                }
                return new Opened(DevSevPlatform.open(), null, null);
            }
            case "simulated" -> {
                Product wanted = product == null ? Product.MILAN : Product.byName(product).orElseThrow(() ->
                        new ConfigException("--product: '" + product + "' is not milan, genoa, turin or venice"));
                SimulatedPlatformStore store = new SimulatedPlatformStore(stateFile());
                SimulatedSevFirmware fw = store.loadOrManufacture(new SecureRandom(), wanted);
                if (product != null && fw.product() != wanted) {
                    throw new ConfigException("--product " + product + ": " + store.file() + " holds a simulated "
                            + fw.product() + " platform; use another --state file for a " + wanted + " one");
                }
                return new Opened(new DevSevPlatform(new SimulatedSevDevice(fw, true)), store, fw);
            }
            default -> throw new ConfigException("--psp: '" + psp + "' is not kvm or simulated");
        }
    }

    private Path stateFile() {
        return state != null ? state : Path.of(System.getProperty("user.home"), ".vmm", "simulated-sev-platform.properties");
    }
}
