package dev.tenantdeletion.orchestrator.export.service;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A ZIP archive written as it goes, so no file is held whole: each entry is a local header, its deflated bytes as they
 * come, then a data descriptor with its CRC and sizes (general purpose flag bit 3, as {@code ZipOutputStream} writes
 * them); the central directory comes last. Without that directory the archive does not open, so an archive cut short
 * is never mistaken for a whole one. Not thread-safe: one archive, one writer, entries one after the other. No ZIP64:
 * an entry or archive past 4 GiB fails ({@link #checkZip32}), said in docs/operations.md.
 */
final class ZipStream {

    private static final int LOCAL_HEADER = 0x04034b50;
    private static final int DATA_DESCRIPTOR = 0x08074b50;
    private static final int CENTRAL_HEADER = 0x02014b50;
    private static final int END_OF_CENTRAL_DIRECTORY = 0x06054b50;
    /** Data descriptor follows the data (bit 3), names in UTF-8 (bit 11). */
    private static final int FLAGS = 0x0808;
    private static final int DEFLATED = 8;
    private static final int VERSION = 20;
    private static final long ZIP32_LIMIT = 0xFFFFFFFFL;

    private record Entry(String name, int dosTime, long crc, long compressed, long size, long offset) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final int dosTime;
    private final byte[] out = new byte[64 * 1024];
    private long written;
    private String name;
    private long entryOffset;
    private Deflater deflater;
    private CRC32 crc;
    private long size;
    private long compressed;

    ZipStream(java.time.LocalDateTime modified) {
        this.dosTime = (modified.getYear() - 1980) << 25 | modified.getMonthValue() << 21 | modified.getDayOfMonth() << 16
                | modified.getHour() << 11 | modified.getMinute() << 5 | modified.getSecond() >> 1;
    }

    /** Starts an entry: its local header. */
    byte[] begin(String entryName) {
        if (name != null) {
            throw new IllegalStateException("entry " + name + " is not finished");
        }
        name = entryName;
        entryOffset = written;
        deflater = new Deflater(Deflater.BEST_SPEED, true);
        crc = new CRC32();
        size = 0;
        compressed = 0;
        byte[] nameBytes = entryName.getBytes(StandardCharsets.UTF_8);
        Bytes header = new Bytes(30 + nameBytes.length);
        header.int32(LOCAL_HEADER).int16(VERSION).int16(FLAGS).int16(DEFLATED).int32(dosTime)
                .int32(0).int32(0).int32(0) // CRC and sizes: in the data descriptor
                .int16(nameBytes.length).int16(0).bytes(nameBytes);
        return count(header.toByteArray());
    }

    /** Bytes of the current entry: what the deflater gives back for them (often nothing yet). */
    byte[] write(byte[] data) {
        crc.update(data);
        size += data.length;
        deflater.setInput(data);
        ByteArrayOutputStream deflated = new ByteArrayOutputStream();
        while (!deflater.needsInput()) {
            drain(deflated);
        }
        return countCompressed(deflated.toByteArray());
    }

    /** Ends the current entry: the deflater's rest and the data descriptor. */
    byte[] end() {
        deflater.finish();
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        while (!deflater.finished()) {
            drain(tail);
        }
        deflater.end();
        countCompressed(tail.toByteArray());
        checkZip32(name, size);
        checkZip32(name, compressed);
        Bytes descriptor = new Bytes(16).int32(DATA_DESCRIPTOR).int32(crc.getValue()).int32(compressed).int32(size);
        tail.writeBytes(descriptor.toByteArray());
        entries.add(new Entry(name, dosTime, crc.getValue(), compressed, size, entryOffset));
        name = null;
        written += 16;
        return tail.toByteArray();
    }

    /** A whole small entry at once (the manifest). */
    byte[] entry(String entryName, byte[] data) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(begin(entryName));
        all.writeBytes(write(data));
        all.writeBytes(end());
        return all.toByteArray();
    }

    /** The central directory and its end record: after them the archive is whole. */
    byte[] finish() {
        long start = written;
        ByteArrayOutputStream directory = new ByteArrayOutputStream();
        for (Entry entry : entries) {
            checkZip32(entry.name(), entry.offset());
            byte[] nameBytes = entry.name().getBytes(StandardCharsets.UTF_8);
            directory.writeBytes(new Bytes(46 + nameBytes.length).int32(CENTRAL_HEADER).int16(VERSION).int16(VERSION).int16(FLAGS)
                    .int16(DEFLATED).int32(entry.dosTime()).int32(entry.crc()).int32(entry.compressed()).int32(entry.size())
                    .int16(nameBytes.length).int16(0).int16(0).int16(0).int16(0).int32(0).int32(entry.offset()).bytes(nameBytes)
                    .toByteArray());
        }
        long length = directory.size();
        checkZip32("the archive", start + length);
        directory.writeBytes(new Bytes(22).int32(END_OF_CENTRAL_DIRECTORY).int16(0).int16(0).int16(entries.size())
                .int16(entries.size()).int32(length).int32(start).int16(0).toByteArray());
        return count(directory.toByteArray());
    }

    private void drain(ByteArrayOutputStream into) {
        int n = deflater.deflate(out);
        into.write(out, 0, n);
    }

    private byte[] count(byte[] bytes) {
        written += bytes.length;
        return bytes;
    }

    private byte[] countCompressed(byte[] bytes) {
        compressed += bytes.length;
        return count(bytes);
    }

    private static void checkZip32(String what, long value) {
        if (value > ZIP32_LIMIT || value < 0) {
            throw new IllegalStateException(what + " passes 4 GiB, more than a ZIP without ZIP64 holds");
        }
    }

    /** Little-endian fields of a ZIP record. */
    private static final class Bytes {
        private final ByteArrayOutputStream buffer;

        Bytes(int size) {
            buffer = new ByteArrayOutputStream(size);
        }

        Bytes int16(int value) {
            buffer.write(value & 0xFF);
            buffer.write(value >>> 8 & 0xFF);
            return this;
        }

        Bytes int32(long value) {
            int16((int) (value & 0xFFFF));
            return int16((int) (value >>> 16 & 0xFFFF));
        }

        Bytes bytes(byte[] value) {
            buffer.writeBytes(value);
            return this;
        }

        byte[] toByteArray() {
            return buffer.toByteArray();
        }
    }
}
