using System.Text;
using FacetMlNet.Tests.Shared;
using Xunit.Abstractions;

namespace FacetMlNet.Dicom.Tests;

/// <summary>
/// FacetMlNet's JPEG 2000 decoder against OpenJPEG's encoder (Debian `libopenjp2-tools`, installed by .ci/run): one
/// image encoded with every option that changes the codestream — progression orders, precincts, code-block sizes and
/// styles, tiles, layers, markers, image offsets, colour transforms — must decode to the original pixels where the
/// coding is reversible, and to OpenJPEG's own decoding within ±1 where it is not.
/// </summary>
public sealed class OpenJpegCrossCheckTests(ITestOutputHelper output) : IDisposable
{
    private const string Compress = "/usr/bin/opj_compress", Decompress = "/usr/bin/opj_decompress";
    private readonly string _dir = Directory.CreateTempSubdirectory("facetml-opj-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const int Width = 67, Height = 53;

    /// <summary>A 12-bit grey image with smooth regions, edges and noise (the kinds of content the coder models).</summary>
    private static int[] Grey()
    {
        var rng = new Random(7);
        return [.. Enumerable.Range(0, Width * Height).Select(i =>
        {
            var (x, y) = (i % Width, i / Width);
            var v = 1000 + 20 * x + 15 * y + (x > 30 && y > 20 ? 1500 : 0) + rng.Next(-40, 40);
            return Math.Clamp(v, 0, 4095);
        })];
    }

    private static int[] Rgb()
    {
        var rng = new Random(8);
        return [.. Enumerable.Range(0, Width * Height * 3).Select(i =>
        {
            var (p, c) = (i / 3, i % 3);
            var (x, y) = (p % Width, p / Width);
            return Math.Clamp(40 * c + 2 * x + y + (x + y > 60 ? 80 : 0) + rng.Next(-10, 10), 0, 255);
        })];
    }

    private string WritePnm(string name, int[] samples, int components, int maxValue)
    {
        var path = Path.Combine(_dir, name);
        using var stream = File.Create(path);
        stream.Write(Encoding.ASCII.GetBytes($"{(components == 3 ? "P6" : "P5")}\n{Width} {Height}\n{maxValue}\n"));
        foreach (var v in samples)
        {
            if (maxValue > 255) stream.WriteByte((byte)(v >> 8));
            stream.WriteByte((byte)v);
        }
        return path;
    }

    private static int[] ReadPnm(string path)
    {
        var bytes = File.ReadAllBytes(path);
        // Header: magic, width, height, maxval, separated by whitespace, with # comments to the end of their line.
        var fields = new List<string>();
        var at = 0;
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)bytes[at])) at++;
            if (bytes[at] == '#')
            {
                while (bytes[at] != '\n') at++;
                continue;
            }
            var start = at;
            while (!char.IsWhiteSpace((char)bytes[at])) at++;
            fields.Add(Encoding.ASCII.GetString(bytes, start, at - start));
        }
        at++;
        var size = int.Parse(fields[3]) > 255 ? 2 : 1;
        return [.. Enumerable.Range(0, (bytes.Length - at) / size).Select(i => size == 2 ? bytes[at + 2 * i] << 8 | bytes[at + 2 * i + 1] : bytes[at + i])];
    }

    private static void Run(string program, IReadOnlyList<string> arguments)
    {
        var (code, output, error) = ExternalTool.Run(program, arguments);
        if (code != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: {error}{output}");
    }

    public static TheoryData<string> Options() =>
    [
        "", "-n 1", "-n 3", "-p RLCP", "-p RPCL", "-p PCRL", "-p CPRL", "-c [16,16],[16,16],[32,32] -p RPCL", "-c [8,8] -n 2",
        "-b 16,8", "-b 4,4 -n 2", "-t 32,24 -n 3", "-t 32,24 -n 3 -p PCRL", "-r 20,10,1", "-r 8,1 -p LRCP -SOP -EPH", "-SOP", "-EPH",
        "-M 1", "-M 2", "-M 4", "-M 8", "-M 16", "-M 32", "-M 63", "-M 5 -r 10,1", "-d 3,5", "-d 3,5 -t 16,16 -T 1,2 -n 2",
    ];

    [SkippableTheory]
    [MemberData(nameof(Options))]
    public void Reversible_codestreams_decode_to_the_original_pixels(string options)
    {
        Skip.IfNot(File.Exists(Compress), $"{Compress} not found (apt-get install libopenjp2-tools)");
        var grey = Grey();
        var j2k = Path.Combine(_dir, "grey.j2k");
        Run(Compress, ["-i", WritePnm("grey.pgm", grey, 1, 4095), "-o", j2k, .. options.Split(' ', StringSplitOptions.RemoveEmptyEntries)]);
        var decoded = HandWrittenStreams.Pixels(File.ReadAllBytes(j2k), Width, Height, DicomTransferSyntax.JPEG2000Lossless, "grey.dcm", bitsStored: 12)
            .GetStoredValues(0);
        output.WriteLine($"opj_compress {options}: {new FileInfo(j2k).Length} bytes");
        Assert.Equal(grey, decoded);
    }

    [SkippableFact]
    public void Colour_with_the_reversible_transform_decodes_to_the_original_pixels()
    {
        Skip.IfNot(File.Exists(Compress), $"{Compress} not found (apt-get install libopenjp2-tools)");
        var rgb = Rgb();
        var j2k = Path.Combine(_dir, "rgb.j2k");
        Run(Compress, ["-i", WritePnm("rgb.ppm", rgb, 3, 255), "-o", j2k, "-mct", "1"]);
        var decoded = HandWrittenStreams.Pixels(File.ReadAllBytes(j2k), Width, Height, DicomTransferSyntax.JPEG2000Lossless, "rgb.dcm", samplesPerPixel: 3)
            .GetFrameSamples(0);
        Assert.Equal(rgb, decoded);
    }

    [SkippableTheory]
    [InlineData("grey", "-I -r 10")]
    [InlineData("grey", "-I -r 20,5 -p RPCL -t 32,32 -n 3")]
    [InlineData("rgb", "-I -r 15 -mct 1")]
    public void Irreversible_codestreams_decode_as_openjpeg_does_within_one(string image, string options)
    {
        Skip.IfNot(File.Exists(Compress) && File.Exists(Decompress), $"{Compress} or {Decompress} not found (apt-get install libopenjp2-tools)");
        var colour = image == "rgb";
        var source = colour ? WritePnm("in.ppm", Rgb(), 3, 255) : WritePnm("in.pgm", Grey(), 1, 4095);
        var j2k = Path.Combine(_dir, "lossy.j2k");
        Run(Compress, ["-i", source, "-o", j2k, .. options.Split(' ')]);
        var reference = Path.Combine(_dir, colour ? "out.ppm" : "out.pgm");
        Run(Decompress, ["-i", j2k, "-o", reference]);
        var expected = ReadPnm(reference);
        var decoded = HandWrittenStreams.Pixels(File.ReadAllBytes(j2k), Width, Height, DicomTransferSyntax.JPEG2000, "lossy.dcm",
            bitsStored: colour ? 8 : 12, samplesPerPixel: colour ? 3 : 1).GetFrameSamples(0);
        Assert.Equal(expected.Length, decoded.Length);
        var worst = expected.Zip(decoded, (e, d) => Math.Abs(e - d)).Max();
        output.WriteLine($"opj_compress {options}: largest difference from opj_decompress {worst}");
        Assert.True(worst <= 1, $"largest difference from OpenJPEG {worst}");
    }
}
