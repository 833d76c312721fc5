package dev.vmm.app.cli;

import dev.vmm.app.config.ConfigFiles;
import dev.vmm.app.config.ConfigJson;
import dev.vmm.app.config.PayloadConfig;
import dev.vmm.app.config.VmConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.function.Predicate;

/**
 * {@code run --config FILE} with options beside it: the file first, then each option given on the
 * command line replaces the file's value; {@code --disk}, {@code --net} and {@code --fw-cfg} add to the
 * file's lists. An option not given leaves the file's value, whatever its default.
 */
final class ConfigMerge {
    /** A JSON config is a few KiB; the limit only keeps a wrong file out of the heap. */
    static final long MAX_CONFIG = 1L << 20;

    private ConfigMerge() {}

    static VmConfig read(Path file) {
        return ConfigJson.read(new String(ConfigFiles.read("--config", file, MAX_CONFIG), StandardCharsets.UTF_8));
    }

    /** @param given whether the option (by its long name) was on the command line */
    static VmConfig merge(VmConfig file, VmConfig cli, Predicate<String> given) {
        VmConfig.Builder b = file.toBuilder();
        PayloadConfig f = file.payload() == null ? PayloadConfig.TEST_GUEST : file.payload();
        PayloadConfig c = cli.payload();
        b.payload(new PayloadConfig(given.test("--firmware") ? c.firmware() : f.firmware(),
                given.test("--firmware-vars") ? c.firmwareVars() : f.firmwareVars(),
                given.test("--kernel") ? c.kernel() : f.kernel(), given.test("--initrd") ? c.initrd() : f.initrd(),
                given.test("--append") ? c.cmdline() : f.cmdline()));
        if (given.test("--cpus") || file.cpus() == null) {
            b.cpus(cli.cpus().count());
        }
        if (given.test("--memory") || file.memory() == null) {
            b.memory(cli.memory().size());
        }
        if (given.test("--hugepages")) {
            b.hugepages(cli.memory().hugepages());
        }
        if (given.test("--serial") || file.serial() == null) {
            b.serial(cli.serial());
        }
        if (given.test("--debugcon") || file.debugcon() == null) {
            b.debugcon(cli.debugcon());
        }
        var fwCfg = new ArrayList<>(file.fwCfg());
        fwCfg.addAll(cli.fwCfg());
        b.fwCfg(fwCfg);
        var disks = new ArrayList<>(file.disks());
        disks.addAll(cli.disks());
        b.disks(disks);
        var nets = new ArrayList<>(file.nets());
        nets.addAll(cli.nets());
        b.nets(nets);
        if (given.test("--rng")) {
            b.rng(cli.rng());
        }
        if (given.test("--console")) {
            b.console(cli.console());
        }
        if (given.test("--vsock")) {
            b.vsock(cli.vsock());
        }
        if (given.test("--kvm-device") || file.platform() == null) {
            b.kvmDevice(cli.platform().kvmDevice());
        }
        if (given.test("--no-emulation-assist") || file.platform() == null) {
            b.emulationAssist(cli.platform().emulationAssist());
        }
        if (given.test("--confidential")) {
            b.confidential(cli.confidential());
        }
        return b.build();
    }
}
