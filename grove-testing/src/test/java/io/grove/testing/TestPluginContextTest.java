package io.grove.testing;

import io.grove.api.CellId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestPluginContextTest {
    @TempDir
    Path cellDir;

    @Test
    void createsTheInstanceDataFolderInsideTheCellFolderOnFirstUse() {
        try (TestPluginContext context = TestPluginContext.builder(cellDir).instanceId("main").build()) {
            assertThat(cellDir.resolve("plugins")).doesNotExist();

            assertThat(context.dataDir()).isEqualTo(cellDir.resolve("plugins/main")).isDirectory();
            assertThat(context.cellDir()).isEqualTo(cellDir);
            assertThat(context.instanceId()).isEqualTo("main");
        }
    }

    @Test
    void givesEachContextItsOwnValidCellIdUnlessOneIsSet() {
        try (TestPluginContext a = TestPluginContext.of(cellDir); TestPluginContext b = TestPluginContext.of(cellDir)) {
            assertThat(CellId.parse(a.cellId().grouped())).isEqualTo(a.cellId());
            assertThat(a.cellId()).isNotEqualTo(b.cellId());
            try (TestPluginContext fixed = TestPluginContext.builder(cellDir).cellId(a.cellId()).build()) {
                assertThat(fixed.cellId()).isEqualTo(a.cellId());
            }
        }
    }

    @Test
    void usesTheClockTheTestGives() {
        Clock fixed = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
        try (TestPluginContext context = TestPluginContext.builder(cellDir).clock(fixed).build()) {
            assertThat(context.clock().instant()).isEqualTo(fixed.instant());
        }
    }

    @Test
    void runsTasksOnVirtualThreadsAndInterruptsThoseStillRunningOnClose() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean virtual = new AtomicBoolean();
        Future<?> task;
        try (TestPluginContext context = TestPluginContext.of(cellDir)) {
            task = context.executor().submit(() -> {
                virtual.set(Thread.currentThread().isVirtual());
                started.countDown();
                Thread.sleep(60_000);
                return null;
            });
            started.await();
        }

        assertThat(virtual).isTrue();
        assertThat(task).isDone();
        assertThatThrownBy(task::get).hasCauseInstanceOf(InterruptedException.class);
    }
}
