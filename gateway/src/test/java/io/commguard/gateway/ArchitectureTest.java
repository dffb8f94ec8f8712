package io.commguard.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package layout rules of docs/architecture.md, checked on the compiled main code: no package
 * cycles, shared code only in neutral packages, and each stage of the data path importing only
 * what lies upstream of it or is neutral.
 */
class ArchitectureTest {
  private static final String ROOT = "io.commguard.gateway";
  /** Packages every stage may use; they must not reach back into any stage. */
  private static final String[] NEUTRAL = {
      ROOT + ".model..", ROOT + ".config..", ROOT + ".metrics..", ROOT + ".security..", ROOT + ".privacy..",
      ROOT + ".net..", ROOT + ".topic..", ROOT + ".validation..", ROOT + ".wire..", ROOT + ".sqlite..", ROOT + ".status..",
      ROOT + ".evidence..", ROOT + ".digest.."};
  private static final String[] STAGES = {
      ROOT + ".source..", ROOT + ".profile..", ROOT + ".rule..", ROOT + ".pipeline..", ROOT + ".outbox..",
      ROOT + ".northbound..", ROOT + ".receiver..", ROOT + ".admin..", ROOT + ".cli..", ROOT + ".demo.."};

  private static JavaClasses main;

  @BeforeAll
  static void importMainClasses() throws Exception {
    main = new ClassFileImporter().importPath(Path.of(Gateway.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
  }

  @Test
  void noPackageCycles() {
    slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(main);
  }

  @Test
  void neutralPackagesDependOnNoStage() {
    noClasses().that().resideInAnyPackage(NEUTRAL).should().dependOnClassesThat().resideInAnyPackage(STAGES)
        .because("shared code lives in neutral packages that every stage may import")
        .check(main);
    noClasses().that().resideInAnyPackage(NEUTRAL).should().dependOnClassesThat().resideInAPackage(ROOT)
        .because("the boot package assembles the gateway and nothing below it may import it")
        .check(main);
  }

  @Test
  void sourcesDependOnNoOtherSourceAndNothingDownstream() {
    noClasses().that().resideInAPackage(ROOT + ".source.mqtt..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".source.modbus..").check(main);
    noClasses().that().resideInAPackage(ROOT + ".source.modbus..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".source.mqtt..").check(main);
    noClasses().that().resideInAPackage(ROOT + ".source.stream..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".source.httppush..").check(main);
    noClasses().that().resideInAPackage(ROOT + ".source.httppush..")
        .should().dependOnClassesThat().resideInAPackage(ROOT + ".source.stream..").check(main);
    noClasses().that().resideInAPackage(ROOT + ".source..").should().dependOnClassesThat()
        .resideInAnyPackage(ROOT + ".rule..", ROOT + ".outbox..", ROOT + ".northbound..", ROOT + ".receiver..",
            ROOT + ".admin..")
        .because("a source hands canonical events to the pipeline and knows nothing after it")
        .check(main);
  }

  @Test
  void northboundsSeeTheOutboxOnlyThroughItsInterface() {
    noClasses().that().resideInAPackage(ROOT + ".northbound..").should().dependOnClassesThat()
        .haveFullyQualifiedName(ROOT + ".outbox.SqliteOutbox").check(main);
    noClasses().that().resideInAPackage(ROOT + ".outbox..").should().dependOnClassesThat()
        .resideInAPackage(ROOT + ".northbound..").check(main);
  }

  @Test
  void deliveryIsTransportNeutral() {
    noClasses().that().resideInAPackage(ROOT + ".northbound").should().dependOnClassesThat()
        .resideInAnyPackage(ROOT + ".northbound.*..", "org.eclipse.paho..", "io.vertx..", "io.netty..")
        .because("the delivery logic is shared by every transport; a transport is a sub-package under it")
        .check(main);
  }

  @Test
  void northboundDoesNotReachBackIntoTheDataPath() {
    noClasses().that().resideInAnyPackage(ROOT + ".outbox..", ROOT + ".northbound..", ROOT + ".receiver..")
        .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".source..", ROOT + ".profile..", ROOT + ".rule..")
        .check(main);
  }
}
