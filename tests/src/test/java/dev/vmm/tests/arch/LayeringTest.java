package dev.vmm.tests.arch;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The architecture as rules over the compiled main classes of every module (architecture.md): a
 * lower module never uses a higher one, devices see neither KVM nor vCPUs, and the JDK's restricted
 * native-access methods stay in the packages whose job they are.
 */
class LayeringTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.vmm.core", "dev.vmm.memory", "dev.vmm.devices", "dev.vmm.firmware", "dev.vmm.sev",
                        "dev.vmm.app");
    }

    @Test
    void lowerModulesNeverUseHigherOnes() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("vmm-core").definedBy("dev.vmm.core..")
                .layer("vmm-memory").definedBy("dev.vmm.memory..")
                .layer("vmm-devices").definedBy("dev.vmm.devices..")
                .layer("firmware").definedBy("dev.vmm.firmware..")
                .layer("vmm-sev").definedBy("dev.vmm.sev..")
                .layer("vmm").definedBy("dev.vmm.app..")
                .whereLayer("vmm").mayNotBeAccessedByAnyLayer()
                .whereLayer("vmm-sev").mayOnlyBeAccessedByLayers("vmm")
                .whereLayer("vmm-devices").mayOnlyBeAccessedByLayers("vmm")
                .whereLayer("firmware").mayOnlyBeAccessedByLayers("vmm-sev", "vmm")
                .whereLayer("vmm-memory").mayOnlyBeAccessedByLayers("vmm-devices", "firmware", "vmm-sev", "vmm")
                .whereLayer("vmm-core").mayOnlyBeAccessedByLayers("vmm-memory", "vmm-devices", "firmware", "vmm-sev", "vmm")
                .check(classes);
    }

    @Test
    void devicesSeeBusesGuestMemoryAndInterruptLinesOnly() {
        // No KVM handle, no vCPU, no stop reason: a device asks for machine events (MachineRequest)
        // and raises InterruptLines; the application wires both. Of vmm-core a device may use the abi
        // package alone: the C names its register constants and layouts carry for the ABI check.
        noClasses().that().resideInAPackage("dev.vmm.devices..")
                .should().dependOnClassesThat(resideInAPackage("dev.vmm.core..").and(not(resideInAPackage("dev.vmm.core.abi.."))))
                .because("devices never see KVM or vCPUs (architecture.md)")
                .check(classes);
    }

    @Test
    void restrictedNativeAccessStaysInItsPackages() {
        // Native calls and raw addresses: libc and KVM bindings (core.sys), and the simulated SEV
        // driver, which dereferences the user pointers inside its ioctl argument as the kernel does.
        noClasses().that().resideOutsideOfPackages("dev.vmm.core.sys..", "dev.vmm.sev.platform.sim..")
                .should().callMethod(MemorySegment.class, "reinterpret", long.class)
                .orShould().dependOnClassesThat().areAssignableTo(Linker.class)
                .orShould().dependOnClassesThat().areAssignableTo(SymbolLookup.class)
                .check(classes);
    }
}
