using System.Buffers.Binary;
using System.Collections;
using System.Globalization;
using System.Text;

namespace FacetMlNet.Dicom;

/// <summary>A DICOM data set: items ordered by tag, with typed accessors in the fo-dicom style.</summary>
public sealed class DicomDataset : IEnumerable<DicomItem>
{
    // A hash map while parsing (hundreds of inserts per file); sorted only when enumerated, e.g. by the writer.
    private readonly Dictionary<DicomTag, DicomItem> _items = [];

    /// <summary>An empty data set.</summary>
    public DicomDataset() { }

    /// <summary>The character encoding of text values, from Specific Character Set (Latin-1 when absent or unknown).</summary>
    public Encoding Encoding { get; internal set; } = Encoding.Latin1;

    /// <summary>Number of items.</summary>
    public int Count => _items.Count;

    /// <summary>True when the tag is present.</summary>
    public bool Contains(DicomTag tag) => _items.ContainsKey(tag);

    /// <summary>The item of a tag, or null.</summary>
    public DicomItem? GetItem(DicomTag tag) => _items.GetValueOrDefault(tag);

    /// <summary>Adds or replaces an item.</summary>
    public DicomDataset AddOrUpdate(DicomItem item)
    {
        _items[item.Tag] = item;
        if (item.Tag == DicomTag.SpecificCharacterSet && item is DicomElement e)
            Encoding = DicomCharacterSet.GetEncoding(e.GetStrings(Encoding.ASCII));
        return this;
    }

    /// <summary>Adds or replaces a text element (strings joined with backslashes).</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, params string[] values)
    {
        if (!vr.IsString) throw new ArgumentException($"{vr} is not a string VR.", nameof(vr));
        var bytes = (vr == DicomVR.UI ? Encoding.ASCII : Encoding).GetBytes(string.Join('\\', values));
        return AddOrUpdate(new DicomElement(tag, vr, bytes));
    }

    /// <summary>Adds or replaces decimal-string (DS) or integer-string (IS) values.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, params double[] values)
    {
        if (vr == DicomVR.DS || vr == DicomVR.IS)
            return AddOrUpdate(tag, vr, [.. values.Select(v => FormatNumberString(v, vr))]);
        var bytes = new byte[values.Length * vr.UnitSize];
        for (var i = 0; i < values.Length; i++)
        {
            var s = bytes.AsSpan(i * vr.UnitSize, vr.UnitSize);
            if (vr == DicomVR.US) BinaryPrimitives.WriteUInt16LittleEndian(s, checked((ushort)values[i]));
            else if (vr == DicomVR.SS) BinaryPrimitives.WriteInt16LittleEndian(s, checked((short)values[i]));
            else if (vr == DicomVR.UL) BinaryPrimitives.WriteUInt32LittleEndian(s, checked((uint)values[i]));
            else if (vr == DicomVR.SL) BinaryPrimitives.WriteInt32LittleEndian(s, checked((int)values[i]));
            else if (vr == DicomVR.FL) BinaryPrimitives.WriteSingleLittleEndian(s, (float)values[i]);
            else if (vr == DicomVR.FD) BinaryPrimitives.WriteDoubleLittleEndian(s, values[i]);
            else throw new ArgumentException($"Numbers cannot be written as {vr}.", nameof(vr));
        }
        return AddOrUpdate(new DicomElement(tag, vr, bytes));
    }

    /// <summary>Removes a tag; returns whether it was there.</summary>
    public bool Remove(DicomTag tag) => _items.Remove(tag);

    /// <summary>The first text value of a tag.</summary>
    /// <exception cref="DicomDataException">The tag is absent or empty.</exception>
    public string GetString(DicomTag tag) =>
        TryGetString(tag, out var s) ? s : throw new DicomDataException($"Required attribute {tag} is missing or empty.");

    /// <summary>The first text value of a tag, if present and not empty.</summary>
    public bool TryGetString(DicomTag tag, out string value)
    {
        value = "";
        if (_items.GetValueOrDefault(tag) is not DicomElement e || e.Length == 0) return false;
        var values = e.GetStrings(Encoding);
        if (values.Length == 0 || values[0].Length == 0) return false;
        value = values[0];
        return true;
    }

    /// <summary>The first text value of a tag, or <paramref name="fallback"/>.</summary>
    public string GetStringOrDefault(DicomTag tag, string fallback = "") => TryGetString(tag, out var s) ? s : fallback;

    /// <summary>All text values of a tag (empty when absent).</summary>
    public string[] GetStrings(DicomTag tag) => _items.GetValueOrDefault(tag) is DicomElement e ? e.GetStrings(Encoding) : [];

    /// <summary>All values of a numeric tag as doubles (DS/IS parsed, binary VRs decoded); empty when absent.</summary>
    /// <exception cref="DicomDataException">A value is not a number.</exception>
    public double[] GetNumbers(DicomTag tag)
    {
        if (_items.GetValueOrDefault(tag) is not DicomElement e || e.Length == 0) return [];
        if (e.VR.IsString)
        {
            var texts = e.GetStrings(Encoding.ASCII);
            var result = new double[texts.Length];
            for (var i = 0; i < texts.Length; i++)
                if (!double.TryParse(texts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]))
                    throw new DicomDataException($"{tag} value '{texts[i]}' is not a number.");
            return result;
        }
        return e.GetBinaryDoubles();
    }

    /// <summary>Value <paramref name="index"/> of a numeric tag, or <paramref name="fallback"/> when absent or empty.</summary>
    public double GetNumberOrDefault(DicomTag tag, double fallback, int index = 0)
    {
        var values = GetNumbers(tag);
        return index < values.Length ? values[index] : fallback;
    }

    /// <summary>Value <paramref name="index"/> of a numeric tag.</summary>
    /// <exception cref="DicomDataException">The tag is absent or has too few values.</exception>
    public double GetNumber(DicomTag tag, int index = 0)
    {
        var values = GetNumbers(tag);
        return index < values.Length ? values[index]
            : throw new DicomDataException($"Required attribute {tag} is missing or has fewer than {index + 1} value(s).");
    }

    /// <summary>
    /// The values of a numeric attribute for one frame of a multi-frame image: from that frame's item of the Per-frame
    /// Functional Groups Sequence, else the Shared Functional Groups Sequence (in whichever functional group macro holds
    /// it, e.g. Plane Position for Image Position, Pixel Value Transformation for the rescale; PS3.3 C.7.6.16), else the
    /// top level of the data set. Enhanced CT and MR carry position, orientation, spacing, rescale and window this way.
    /// </summary>
    /// <exception cref="DicomDataException">A value is not a number.</exception>
    public double[] GetFrameNumbers(DicomTag tag, int frame)
    {
        var perFrame = GetSequence(DicomTag.PerFrameFunctionalGroupsSequence);
        if (frame >= 0 && frame < perFrame.Count && FromFunctionalGroup(perFrame[frame], tag) is { Length: > 0 } own) return own;
        var shared = GetSequence(DicomTag.SharedFunctionalGroupsSequence);
        if (shared.Count > 0 && FromFunctionalGroup(shared[0], tag) is { Length: > 0 } common) return common;
        return GetNumbers(tag);
    }

    /// <summary>The attribute from the first macro (a sequence of one item) of a functional group item that holds it.</summary>
    private static double[]? FromFunctionalGroup(DicomDataset group, DicomTag tag)
    {
        foreach (var macro in group._items.Values.OfType<DicomSequence>())
            foreach (var item in macro.Items)
                if (item.GetNumbers(tag) is { Length: > 0 } values) return values;
        return null;
    }

    /// <summary>The items of a sequence (empty when absent).</summary>
    public IReadOnlyList<DicomDataset> GetSequence(DicomTag tag) =>
        _items.GetValueOrDefault(tag) is DicomSequence s ? s.Items : [];

    /// <inheritdoc />
    public IEnumerator<DicomItem> GetEnumerator() => _items.Values.OrderBy(i => i.Tag).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>DS is limited to 16 characters and IS to 12 (PS3.5 §6.2): shortest round-trip that fits.</summary>
    private static string FormatNumberString(double v, DicomVR vr)
    {
        if (vr == DicomVR.IS) return checked((long)Math.Round(v)).ToString(CultureInfo.InvariantCulture);
        for (var digits = 15; digits > 0; digits--)
        {
            var s = v.ToString("G" + digits, CultureInfo.InvariantCulture);
            if (s.Length <= 16) return s;
        }
        throw new ArgumentException($"{v} does not fit in a DS value.");
    }
}
