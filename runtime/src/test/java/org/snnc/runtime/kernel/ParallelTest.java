package org.snnc.runtime.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

class ParallelTest {

    @Test
    void everyIndexRunsOnceInContiguousChunks() {
        for (int threads : new int[] {1, 2, 3, 5}) {
            try (Parallel par = new Parallel(threads)) {
                for (int count : new int[] {1, 2, 3, 4, 7, 100, 1001}) {
                    AtomicIntegerArray hits = new AtomicIntegerArray(count);
                    AtomicIntegerArray chunkUsed = new AtomicIntegerArray(threads);
                    par.forRange(count, (from, to, chunk) -> {
                        assertTrue(from < to && chunk < Math.min(threads, count));
                        assertEquals(0, chunkUsed.getAndIncrement(chunk), "chunk " + chunk + " given twice");
                        for (int i = from; i < to; i++) {
                            hits.incrementAndGet(i);
                        }
                    });
                    for (int i = 0; i < count; i++) {
                        assertEquals(1, hits.get(i), "index " + i + " of " + count + " with " + threads + " threads");
                    }
                }
            }
        }
    }

    @Test
    void manyQuickCallsInARowAllComplete() {
        try (Parallel par = new Parallel(3)) {
            long[] sums = new long[3];
            for (int call = 0; call < 20_000; call++) {
                int count = 1 + call % 5;
                par.forRange(count, (from, to, chunk) -> {
                    for (int i = from; i < to; i++) {
                        sums[chunk] += i;
                    }
                });
            }
            long expected = 0;
            for (int call = 0; call < 20_000; call++) {
                int count = 1 + call % 5;
                expected += (long) count * (count - 1) / 2;
            }
            assertEquals(expected, sums[0] + sums[1] + sums[2]);
        }
    }

    @Test
    void aFailureInAWorkerChunkIsRethrownAndThePoolStaysUsable() {
        try (Parallel par = new Parallel(2)) {
            IllegalArgumentException boom = new IllegalArgumentException("boom");
            IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class,
                    () -> par.forRange(10, (from, to, chunk) -> {
                        if (chunk == 1) {
                            throw boom;
                        }
                    }));
            assertSame(boom, thrown);
            int[] total = new int[1];
            par.forRange(4, (from, to, chunk) -> {
                synchronized (total) {
                    total[0] += to - from;
                }
            });
            assertEquals(4, total[0]);
        }
    }

    @Test
    void aCallFromInsideAChunkRunsOnItsThread() {
        try (Parallel par = new Parallel(2)) {
            AtomicIntegerArray hits = new AtomicIntegerArray(8);
            par.forRange(2, (from, to, chunk) -> par.forRange(4, (f, t, c) -> {
                for (int i = f; i < t; i++) {
                    hits.incrementAndGet(from * 4 + i);
                }
            }));
            for (int i = 0; i < 8; i++) {
                assertEquals(1, hits.get(i));
            }
        }
    }
}
