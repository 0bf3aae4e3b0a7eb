package io.energy.attach;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DiagnosisTest {
    @Test
    void specificationVersionsOfEveryEraBecomeFeatureNumbers() {
        assertEquals(8, Diagnosis.feature("1.8"));
        assertEquals(11, Diagnosis.feature("11"));
        assertEquals(17, Diagnosis.feature("17"));
        assertEquals(25, Diagnosis.feature("25"));
        assertEquals(26, Diagnosis.feature("26-ea"));
        assertEquals(-1, Diagnosis.feature(null));
        assertEquals(-1, Diagnosis.feature("banana"));
    }

    @Test
    void targetsOlderThanJava17AreRefusedBeforeAnythingIsLoaded() {
        String java8 = Diagnosis.versionProblem(42, "1.8", "1.8.0_402");
        assertNotNull(java8);
        assertTrue(java8.contains("pid 42 runs Java 1.8.0_402") && java8.contains("Java 17 or newer"), java8);
        String java11 = Diagnosis.versionProblem(42, "11", "11.0.22");
        assertTrue(java11.contains("Java 11.0.22"), java11);
        assertTrue(Diagnosis.versionProblem(42, null, null).contains("did not say which Java"));
    }

    @Test
    void java17AndNewerTargetsAreAccepted() {
        assertNull(Diagnosis.versionProblem(42, "17", "17.0.15"));
        assertNull(Diagnosis.versionProblem(42, "21", "21.0.5"));
        assertNull(Diagnosis.versionProblem(42, "25", "25.0.3"));
    }

    @Test
    void theDynamicLoadingFlagIsReadFromVmFlagsWithTheLastSettingWinning() {
        assertEquals(Diagnosis.DynamicLoading.DEFAULT, Diagnosis.fromVmFlags("-XX:CICompilerCount=2 -XX:+UseSerialGC"));
        assertEquals(Diagnosis.DynamicLoading.ENABLED,
                Diagnosis.fromVmFlags("-XX:CICompilerCount=2 -XX:+EnableDynamicAgentLoading -XX:+UseSerialGC"));
        assertEquals(Diagnosis.DynamicLoading.DISABLED, Diagnosis.fromVmFlags("-XX:-EnableDynamicAgentLoading"));
        assertEquals(Diagnosis.DynamicLoading.DISABLED,
                Diagnosis.fromJvmArgs("-XX:+EnableDynamicAgentLoading -Xmx1g -XX:-EnableDynamicAgentLoading"));
        assertEquals(Diagnosis.DynamicLoading.DEFAULT, Diagnosis.fromJvmArgs("-XX:+EnableDynamicAgentLoadingX"));
        assertEquals(Diagnosis.DynamicLoading.UNKNOWN, Diagnosis.fromVmFlags(null));
    }

    @Test
    void java21AndNewerTargetsGetTheHintToSilenceTheWarningUnlessTheFlagIsSet() {
        String hint = Diagnosis.dynamicLoadingHint(7, 25, Diagnosis.DynamicLoading.DEFAULT);
        assertNotNull(hint);
        assertTrue(hint.contains("-XX:+EnableDynamicAgentLoading") && hint.contains("Java 25"), hint);
        assertNotNull(Diagnosis.dynamicLoadingHint(7, 21, Diagnosis.DynamicLoading.UNKNOWN));
        assertNull(Diagnosis.dynamicLoadingHint(7, 25, Diagnosis.DynamicLoading.ENABLED));
        assertNull(Diagnosis.dynamicLoadingHint(7, 17, Diagnosis.DynamicLoading.DEFAULT));
        assertNull(Diagnosis.dynamicLoadingHint(7, 20, Diagnosis.DynamicLoading.UNKNOWN));
    }

    @Test
    void aJava21TargetThatForbidsDynamicAgentsIsRefusedWithTheWayOut() {
        String refusal = Diagnosis.dynamicLoadingRefusal(7, 21, Diagnosis.DynamicLoading.DISABLED);
        assertTrue(refusal.contains("-XX:-EnableDynamicAgentLoading") && refusal.contains("-javaagent"), refusal);
        assertNull(Diagnosis.dynamicLoadingRefusal(7, 21, Diagnosis.DynamicLoading.DEFAULT));
        assertNull(Diagnosis.dynamicLoadingRefusal(7, 17, Diagnosis.DynamicLoading.DISABLED));
    }

    @Test
    void aJvmOfAnotherUserIsNamedWithTheCommandToUseInstead() {
        String m = Diagnosis.otherUser(1234, 1001, "svc", 1000, "alice");
        assertNotNull(m);
        assertTrue(m.contains("belongs to user svc (uid 1001)"), m);
        assertTrue(m.contains("you are alice (uid 1000)"), m);
        assertTrue(m.contains("sudo -u svc energy-attach 1234"), m);
        String unnamed = Diagnosis.otherUser(1234, 1001, null, 1000, null);
        assertTrue(unnamed.contains("uid 1001") && unnamed.contains("sudo -u #1001"), unnamed);
    }

    @Test
    void theSameUserRootAndUnknownOwnersAreNotStopped() {
        assertNull(Diagnosis.otherUser(1234, 1000, "alice", 1000, "alice"));
        assertNull(Diagnosis.otherUser(1234, 1001, "svc", 0, "root"));
        assertNull(Diagnosis.otherUser(1234, -1, null, 1000, "alice"));
    }

    @Test
    void aDisabledAttachMechanismIsSeenInTheOptionsBeforeAnySignalIsSent() {
        assertNotNull(Diagnosis.attachDisabledByOptions(9, "java -XX:+DisableAttachMechanism -jar app.jar"));
        assertNotNull(Diagnosis.attachDisabledByOptions(9, "-XX:+DisableAttachMechanism java -jar app.jar"));
        assertNull(Diagnosis.attachDisabledByOptions(9, "java -XX:+DisableAttachMechanism -XX:-DisableAttachMechanism -jar a.jar"));
        assertNull(Diagnosis.attachDisabledByOptions(9, "java -jar app.jar"));
        assertTrue(Diagnosis.attachDisabledByOptions(9, "-XX:+DisableAttachMechanism").contains("-javaagent"));
    }

    @Test
    void aJvmMissingFromTheListIsExplainedByWhatItsOptionsSay() {
        assertTrue(Diagnosis.notListed(5, false, "java -XX:-UsePerfData -jar a.jar").contains("-XX:-UsePerfData, so"));
        assertTrue(Diagnosis.notListed(5, true, "java -jar a.jar").contains("not attachable"));
        assertTrue(Diagnosis.notListed(5, false, "").contains("not be a JVM"));
    }

    @Test
    void attachFailuresBecomeAnswersThatSayWhatToDo() {
        assertTrue(Diagnosis.attachFailed(3, "The VM does not support the attach mechanism", true, 10_000)
                .contains("-XX:+DisableAttachMechanism"));
        String timeout = Diagnosis.attachFailed(3, "Unable to open socket file /proc/3/root/tmp/.java_pid3: target "
                + "process 3 doesn't respond within 10500ms or HotSpot VM not loaded", false, 10_000);
        assertTrue(timeout.contains("did not answer") && timeout.contains("10 s") && timeout.contains("jcmd 3"), timeout);
        assertTrue(Diagnosis.attachFailed(3, "non existent JVM pid: 3", true, 10_000).contains("no process with pid 3"));
        assertTrue(Diagnosis.attachFailed(3, "file ownership mismatch", true, 10_000).contains("another user"));
        assertEquals("cannot attach to pid 3: odd", Diagnosis.attachFailed(3, "odd", true, 10_000));
    }

    @Test
    void aJavaWithoutTheAttachModuleIsToldToUseAFullJdk() {
        String m = Diagnosis.noAttachModule("/opt/jre");
        assertTrue(m.contains("jdk.attach") && m.contains("/opt/jre") && m.contains("JDK"), m);
    }
}
