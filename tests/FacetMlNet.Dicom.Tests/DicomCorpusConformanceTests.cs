using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using FacetMlNet.Dicom.Imaging;
using Xunit.Abstractions;

namespace FacetMlNet.Dicom.Tests;

/// <summary>
/// Walks the whole corpus manifest: each file must either match the pydicom/DCMTK reference (header fields; frame-0
/// SHA-256 of stored values) or fail with a documented exception. "Wrong" must be zero.
/// </summary>
public class DicomCorpusConformanceTests(ITestOutputHelper output)
{
    private enum Outcome { Matching, HeaderOnly, Refused, Wrong }

    [SkippableFact]
    public void Every_corpus_file_matches_the_reference_or_is_clearly_refused()
    {
        Skip.If(DicomCorpus.Directory is null, DicomCorpus.SkipReason);
        var table = new SortedDictionary<string, Dictionary<Outcome, int>>(StringComparer.Ordinal);
        var wrong = new List<string>();
        foreach (var entry in DicomCorpus.Entries())
        {
            var name = entry.GetProperty("file").GetString()!;
            var syntax = entry.TryGetProperty("transfer_syntax", out var ts) && ts.ValueKind == JsonValueKind.String ? ts.GetString()! : "(none)";
            var (outcome, why) = Check(entry, DicomCorpus.PathOf(entry));
            if (!table.TryGetValue(syntax, out var row)) table[syntax] = row = Enum.GetValues<Outcome>().ToDictionary(o => o, _ => 0);
            row[outcome]++;
            if (outcome == Outcome.Wrong) wrong.Add($"{name}: {why}");
            if (outcome == Outcome.Refused) output.WriteLine($"refused {name}: {why}");
        }
        var sb = new StringBuilder($"{"transfer syntax",-26} {"matching",9} {"header",7} {"refused",8} {"wrong",6}\n");
        foreach (var (syntax, row) in table)
            sb.Append($"{syntax,-26} {row[Outcome.Matching],9} {row[Outcome.HeaderOnly],7} {row[Outcome.Refused],8} {row[Outcome.Wrong],6}\n");
        output.WriteLine(sb.ToString());
        Assert.True(wrong.Count == 0, "Wrong decodings:\n" + string.Join('\n', wrong));
        Assert.True(table.Values.Sum(r => r[Outcome.Matching]) >= 20, "too few files decoded and matched:\n" + sb);
    }

    private static (Outcome, string) Check(JsonElement entry, string path)
    {
        DicomFile file;
        try { file = DicomFile.Open(path); }
        catch (DicomFormatException e)
        {
            // A refusal is acceptable; say where pydicom still decoded the file so the gap is visible.
            return Str(entry, "reference_decodable") == "True" ? (Outcome.Refused, e.Message) : (Outcome.Refused, e.Message);
        }
        catch (Exception e) { return (Outcome.Wrong, $"undocumented {e.GetType().Name}: {e.Message}"); }

        foreach (var (field, tag) in new[] { ("modality", DicomTag.Modality), ("sop_instance_uid", DicomTag.SOPInstanceUID), ("study_instance_uid", DicomTag.StudyInstanceUID) })
        {
            var expected = Str(entry, field);
            if (expected is not null && file.Dataset.GetStringOrDefault(tag) != expected)
                return (Outcome.Wrong, $"{field} '{file.Dataset.GetStringOrDefault(tag)}' ≠ '{expected}'");
        }
        if (Str(entry, "transfer_syntax_source") == "file meta (0002,0010)" && Str(entry, "transfer_syntax") is { } uid && file.TransferSyntax.UID != uid)
            return (Outcome.Wrong, $"transfer syntax {file.TransferSyntax.UID} ≠ {uid}");
        foreach (var (field, tag) in new[] { ("rows", DicomTag.Rows), ("columns", DicomTag.Columns) })
            if (entry.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Number && file.Dataset.GetNumberOrDefault(tag, -1) != v.GetDouble())
                return (Outcome.Wrong, $"{field} {file.Dataset.GetNumberOrDefault(tag, -1)} ≠ {v.GetDouble()}");

        if (Str(entry, "reference_decodable") != "True" && DcmtkFrame(entry) is { } dcmtk)
            return CheckAgainstDcmtk(file, dcmtk.Sha256, dcmtk.Min, dcmtk.Max);
        if (!entry.TryGetProperty("pixel", out var pixel) || pixel.ValueKind != JsonValueKind.Object || Str(entry, "reference_decodable") != "True")
            return (Outcome.HeaderOnly, "no reference pixels");
        try
        {
            var data = DicomPixelData.Create(file);
            var stored = data.GetFrameSamples(0);
            var hash = Hash(stored, pixel.GetProperty("dtype").GetString()!);
            var expected = ReferenceHash(entry, pixel);
            if (hash == expected) return (Outcome.Matching, "");
            if (data.IsSigned && data.BitsStored < data.BitsAllocated && file.TransferSyntax.IsEncapsulated
                && Hash([.. stored.Select(v => v & ((1 << data.BitsStored) - 1))], pixel.GetProperty("dtype").GetString()!) == expected)
            {
                // Signed samples narrower than their words: FacetMlNet sign-extends from Bits Stored (PS3.3 C.7.6.3.1.1);
                // pydicom 2.3's GDCM handler and DCMTK hand compressed data over as the raw bits. Same bits, other convention.
                return (Outcome.Matching, "");
            }
            if (IsLossy(file.TransferSyntax))
            {
                // Lossy JPEG and JPEG 2000: decoders may differ by rounding (inverse DCT, upsampling, float 9/7 wavelet);
                // the statistics must agree.
                var mean = stored.Average(v => (double)v);
                var (min, max) = (stored.Min(), stored.Max());
                if (Math.Abs(mean - pixel.GetProperty("mean").GetDouble()) < 1.0
                    && Math.Abs(min - pixel.GetProperty("min").GetDouble()) <= 4 && Math.Abs(max - pixel.GetProperty("max").GetDouble()) <= 4)
                    return (Outcome.Matching, "");
                return (Outcome.Wrong, $"lossy decode: mean {mean:F2} vs {pixel.GetProperty("mean").GetDouble():F2}, min {min} vs {pixel.GetProperty("min")}, max {max} vs {pixel.GetProperty("max")}");
            }
            return (Outcome.Wrong, $"frame-0 SHA-256 {hash[..12]} ≠ {expected[..12]}");
        }
        catch (Exception e) when (e is DicomCodecException or DicomDataException) { return (Outcome.Refused, e.Message); }
        catch (Exception e) { return (Outcome.Wrong, $"undocumented {e.GetType().Name}: {e.Message}"); }
    }

    /// <summary>DCMTK's frame 0 where pydicom could not decode but DCMTK's decompressor could (the retired JPEG processes).</summary>
    private static (string Sha256, double Min, double Max)? DcmtkFrame(JsonElement entry)
    {
        if (!entry.TryGetProperty("dcmtk", out var d) || d.ValueKind != JsonValueKind.Object
            || !d.TryGetProperty("dcmtk_decompress", out var dd) || dd.ValueKind != JsonValueKind.Object
            || !dd.TryGetProperty("ok", out var ok) || ok.ValueKind != JsonValueKind.True
            || !dd.TryGetProperty("frame0_sha256_le", out var h) || h.ValueKind != JsonValueKind.String
            || !dd.TryGetProperty("frame0_min_max", out var mm) || mm.ValueKind != JsonValueKind.Array)
            return null;
        return (h.GetString()!, mm[0].GetDouble(), mm[1].GetDouble());
    }

    private static (Outcome, string) CheckAgainstDcmtk(DicomFile file, string sha256, double min, double max)
    {
        try
        {
            var data = DicomPixelData.Create(file);
            var stored = data.GetFrameSamples(0);
            if (Hash(stored, data.BitsAllocated > 8 ? (data.IsSigned ? "int16" : "uint16") : "uint8") == sha256) return (Outcome.Matching, "");
            // Lossy DCT: IJG's inverse DCT (in DCMTK) and JpegLibrary's round differently; the range must agree.
            if (IsLossy(file.TransferSyntax) && Math.Abs(stored.Min() - min) <= 4 && Math.Abs(stored.Max() - max) <= 4) return (Outcome.Matching, "");
            return (Outcome.Wrong, $"DCMTK reference: min/max {min}/{max}, decoded {stored.Min()}/{stored.Max()}");
        }
        catch (Exception e) when (e is DicomCodecException or DicomDataException) { return (Outcome.Refused, e.Message); }
        catch (Exception e) { return (Outcome.Wrong, $"undocumented {e.GetType().Name}: {e.Message}"); }
    }

    /// <summary>Lossy syntaxes whose decoders may round differently (inverse DCT, 9/7 wavelet in floating point).</summary>
    private static bool IsLossy(DicomTransferSyntax ts) =>
        ts == DicomTransferSyntax.JPEGBaseline || ts == DicomTransferSyntax.JPEGExtended || ts == DicomTransferSyntax.JPEG2000
        || ts == DicomTransferSyntax.JPEGSpectralSelection68 || ts == DicomTransferSyntax.JPEGFullProgression1012;

    /// <summary>pydicom's hash, except where the corpus README says DCMTK's is the reference (pydicom disagreed).</summary>
    private static string ReferenceHash(JsonElement entry, JsonElement pixel)
    {
        if (entry.TryGetProperty("reference_warning", out var w) && w.ValueKind == JsonValueKind.String && w.GetString()!.Contains("DISAGREEMENT", StringComparison.Ordinal)
            && entry.TryGetProperty("dcmtk", out var d) && d.TryGetProperty("dcmtk_decompress", out var dd) && dd.ValueKind == JsonValueKind.Object
            && dd.TryGetProperty("frame0_sha256_le", out var h) && h.ValueKind == JsonValueKind.String)
            return h.GetString()!;
        return pixel.GetProperty("sha256_frame0_le").GetString()!;
    }

    /// <summary>SHA-256 of stored values as little-endian bytes of the manifest's numpy dtype.</summary>
    internal static string Hash(int[] values, string dtype)
    {
        using var ms = new MemoryStream();
        var w = new BinaryWriter(ms);
        // Big-endian dtypes (">i2") are hashed as little-endian bytes of the same type, per the manifest.
        dtype = dtype.TrimStart('<', '>', '=', '|') switch { "u1" => "uint8", "i1" => "int8", "u2" => "uint16", "i2" => "int16", "u4" => "uint32", "i4" => "int32", var d => d };
        foreach (var v in values)
        {
            switch (dtype)
            {
                case "uint8": w.Write((byte)v); break;
                case "int8": w.Write((sbyte)v); break;
                case "uint16": w.Write((ushort)v); break;
                case "int16": w.Write((short)v); break;
                case "uint32": w.Write((uint)v); break;
                case "int32": w.Write(v); break;
                case "bool": w.Write((byte)v); break;
                default: throw new DicomDataException($"dtype {dtype} is not a grey stored-value type");
            }
        }
        w.Flush();
        return Convert.ToHexStringLower(SHA256.HashData(ms.ToArray()));
    }

    internal static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            _ => null,
        } : null;
}

/// <summary>The summary that <c>facetml dicom info</c> prints carries the manifest's frame-0 hash for every lossless decode.</summary>
public class DicomFileSummaryCorpusTests
{
    [SkippableFact]
    public void Info_hash_equals_the_reference_hash_for_every_lossless_decoded_file()
    {
        Skip.If(DicomCorpus.Directory is null, DicomCorpus.SkipReason);
        var compared = 0;
        foreach (var entry in DicomCorpus.Entries())
        {
            if (!entry.TryGetProperty("reference_decodable", out var ok) || ok.ValueKind != JsonValueKind.True) continue;
            if (entry.GetProperty("transfer_syntax").GetString() is "1.2.840.10008.1.2.4.50" or "1.2.840.10008.1.2.4.51" or "1.2.840.10008.1.2.4.91") continue; // lossy
            if (entry.TryGetProperty("reference_warning", out var w) && w.ValueKind == JsonValueKind.String) continue;
            // Compressed signed samples narrower than their words: the reference keeps raw bits, FacetMlNet sign-extends
            // (the conformance test above compares those by their bits).
            if (DicomCorpusConformanceTests.Str(entry, "pixel_encapsulated") == "True" && entry.GetProperty("pixel_representation").GetInt32() == 1
                && entry.GetProperty("bits_stored").GetInt32() < entry.GetProperty("bits_allocated").GetInt32()) continue;
            var summary = DicomFileSummary.Read(DicomCorpus.PathOf(entry));
            Assert.DoesNotContain("patient", summary.ToLine());
            if (summary.PixelsDecode != true) continue;
            Assert.Equal(entry.GetProperty("pixel").GetProperty("sha256_frame0_le").GetString(), summary.Frame0Sha256);
            compared++;
        }
        Assert.True(compared >= 60, $"only {compared} files compared");
    }
}
