using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace FacetMlNet.Dicom.IO;

/// <summary>
/// Reads a file from disk in windows: the header from a first small read (grown when an element needs more), large
/// top-level values left in the file (<see cref="DicomReadOptions.LargeValueThreshold"/>), encapsulated fragments
/// located by walking their item headers. Memory then holds the header, not the pixels.
/// </summary>
internal static class DicomFileReader
{
    private const uint UndefinedLength = 0xFFFFFFFF;

    public static DicomFile Read(string path, DicomReadOptions options, bool stopAtPixelData)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var length = RandomAccess.GetLength(handle);
            if (options.LargeValueThreshold is not { } threshold || length <= Math.Max(threshold, options.FirstReadSize))
                return ReadWhole(handle, length, path, stopAtPixelData);

            var size = options.FirstReadSize;
            var window = ReadWindow(handle, 0, (int)Math.Min(size, length), path);
            DicomHead head;
            while (true)
            {
                try
                {
                    head = DicomFile.ReadHead(window, path, complete: window.Length == length);
                    break;
                }
                catch (Exception e) when (e is DicomFormatException or DicomWindowExhaustedException && window.Length < length)
                {
                    // The preamble and meta group did not fit (or look broken) in what was read: read more and decide again.
                    size = (int)Math.Min(Array.MaxLength, 2L * size);
                    window = ReadWindow(handle, 0, (int)Math.Min(size, length), path);
                }
            }
            if (head.Syntax.IsDeflated) return ReadWhole(handle, length, path, stopAtPixelData);

            var source = DicomFileSource.Of(handle, path, length);
            var dataset = new DicomDataset();
            long windowStart = 0;
            long position = head.BodyOffset;
            while (position < length)
            {
                if (position < windowStart || position >= windowStart + window.Length)
                {
                    window = ReadWindow(handle, position, (int)Math.Min(size, length - position), path);
                    windowStart = position;
                }
                var parser = new DicomStreamParser(window[(int)(position - windowStart)..], path, head.Syntax.IsExplicitVR,
                    head.Syntax.IsBigEndian, position, new DicomWindow(source, threshold));
                try
                {
                    parser.ReadDataset(dataset, stopAtPixelData ? DicomFile.IsPixelDataOrLater : null);
                }
                catch (DicomWindowExhaustedException e)
                {
                    // The element at ElementOffset runs past the window: read again from there, at least twice as much.
                    position = parser.ElementOffset;
                    size = (int)Math.Min(Array.MaxLength, Math.Max(2L * size, e.NeededEnd - position));
                    window = ReadWindow(handle, position, (int)Math.Min(size, length - position), path);
                    windowStart = position;
                    continue;
                }
                if (parser.Stopped) break;
                if (parser.PendingFragments is { } pending)
                {
                    dataset.AddOrUpdate(WalkFragments(handle, source, pending.Tag, pending.VR, pending.ItemsAt, out position));
                    continue;
                }
                position = parser.ResumeAt ?? position + parser.Position;
            }
            return DicomFile.Create(head, dataset, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DicomFormatException(path, null, 0, $"cannot read the file: {e.Message}", e);
        }
    }

    private static DicomFile ReadWhole(SafeFileHandle handle, long length, string path, bool stopAtPixelData)
    {
        if (length > Array.MaxLength)
            throw new DicomFormatException(path, null, 0, $"a {length}-byte file cannot be read at once; open it with large values read on demand");
        return DicomFile.Open(ReadWindow(handle, 0, (int)length, path), path, stopAtPixelData);
    }

    private static byte[] ReadWindow(SafeFileHandle handle, long offset, int count, string path)
    {
        var bytes = GC.AllocateUninitializedArray<byte>(count);
        DicomFileSource.ReadExactly(handle, offset, bytes, path, null);
        return bytes;
    }

    /// <summary>
    /// Walks the items of encapsulated pixel data in the file (PS3.5 §A.4): reads the Basic Offset Table, records where
    /// each fragment lies, stops after the sequence delimiter (<paramref name="end"/>). Fragments are read when used.
    /// </summary>
    private static DicomFragmentSequence WalkFragments(SafeFileHandle handle, DicomFileSource source, DicomTag tag, DicomVR vr, long at, out long end)
    {
        var path = source.Path;
        Span<byte> header = stackalloc byte[8];
        uint[]? table = null;
        var offsets = new List<long>();
        var lengths = new List<long>();
        while (true)
        {
            if (source.Length - at < 8)
                throw new DicomFormatException(path, tag, at, $"value length 8 runs past the end of the data ({source.Length - at} byte(s) left)");
            DicomFileSource.ReadExactly(handle, at, header, path, tag);
            var itemTag = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(header), BinaryPrimitives.ReadUInt16LittleEndian(header[2..]));
            var length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            if (itemTag == DicomTag.SequenceDelimitationItem)
            {
                end = at + 8;
                break;
            }
            if (itemTag != DicomTag.Item)
                throw new DicomFormatException(path, tag, at, $"expected a fragment item in encapsulated pixel data, found {itemTag}");
            if (length == UndefinedLength) throw new DicomFormatException(path, tag, at, "fragment of undefined length");
            if (length > source.Length - at - 8)
                throw new DicomFormatException(path, tag, at + 8, $"value length {length} runs past the end of the data ({source.Length - at - 8} byte(s) left)");
            if (table is null)
            {
                var bytes = ReadWindow(handle, at + 8, (int)length, path);
                table = new uint[bytes.Length / 4];
                for (var i = 0; i < table.Length; i++) table[i] = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(i * 4));
            }
            else
            {
                offsets.Add(at + 8);
                lengths.Add(length);
            }
            at += 8 + length;
        }
        return new DicomFragmentSequence(tag, vr, table ?? [], source, offsets, lengths);
    }
}
