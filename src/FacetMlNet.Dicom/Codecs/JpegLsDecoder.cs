using System.Numerics;

namespace FacetMlNet.Dicom.Codecs;

/// <summary>
/// JPEG-LS (ITU-T T.87 / ISO 14495-1; DICOM 1.2.840.10008.1.2.4.80 and .81): LOCO-I context modelling, regular and
/// run mode, lossless and near-lossless, interleave modes none / line / sample, preset coding parameters (LSE 1).
/// Written here because no JPEG-LS library is served. Refused with a <see cref="DicomCodecException"/>: mapping tables
/// (LSE 2/3), restart intervals, point transform, sub-sampled components. Output: native little-endian bytes,
/// components pixel-interleaved, as the other codecs.
/// </summary>
internal sealed class JpegLsDecoder
{
    // Run-length order per run index (T.87 A.2.1).
    private static readonly int[] J = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    private const int RegularContexts = 365;
    private const int ResetDefault = 64;

    private readonly byte[] _data;
    private readonly string? _file;
    private readonly DicomTransferSyntax _syntax;
    private int _pos;

    // Frame and preset parameters.
    private int _precision, _width, _height, _components;
    private int[] _componentIds = [];
    private int _presetMaxVal, _presetT1, _presetT2, _presetT3, _presetReset;

    // Scan parameters and context state (A, B, C, N per context; Nn for the two run-interruption contexts).
    private int _near, _maxVal, _range, _qbpp, _limit, _t1, _t2, _t3, _reset;
    private readonly int[] _a = new int[RegularContexts + 2], _b = new int[RegularContexts + 2], _c = new int[RegularContexts + 2], _n = new int[RegularContexts + 2];
    private readonly int[] _nn = new int[2];
    private int _runIndex;

    // Entropy-coded segment reader: MSB-first cache, a zero bit stuffed after every 0xFF (T.87 A.1).
    private ulong _cache;
    private int _cacheBits, _readPos, _padBits;
    private bool _previousFF;

    private JpegLsDecoder(byte[] data, string? file, DicomTransferSyntax syntax)
    {
        _data = data;
        _file = file;
        _syntax = syntax;
    }

    public static byte[] Decode(ReadOnlyMemory<byte> stream, int rows, int columns, int samplesPerPixel, int bitsAllocated, string? file, DicomTransferSyntax syntax) =>
        new JpegLsDecoder(stream.ToArray(), file, syntax).Run(rows, columns, samplesPerPixel, bitsAllocated);

    private DicomCodecException Error(string problem) => new(_file, _syntax, $"JPEG-LS at byte {_pos}: {problem}");

    private int U8()
    {
        if (_pos >= _data.Length) throw Error("the stream ends inside a marker segment");
        return _data[_pos++];
    }

    private int U16() => U8() << 8 | U8();

    private byte[] Run(int rows, int columns, int samplesPerPixel, int bitsAllocated)
    {
        if (U16() != 0xFFD8) throw Error("no start-of-image marker");
        int[][]? planes = null;
        var decoded = new bool[4];
        while (true)
        {
            var marker = U16();
            while (marker == 0xFFFF) marker = 0xFF00 | U8(); // fill bytes
            if (marker == 0xFFD9) break;
            if ((marker & 0xFF00) != 0xFF00) throw Error($"expected a marker, found 0x{marker:X4}");
            var length = U16() - 2;
            if (length < 0 || _pos + length > _data.Length) throw Error($"marker segment of length {length + 2} runs past the end");
            var segmentEnd = _pos + length;
            switch (marker)
            {
                case 0xFFF7:
                    ReadFrameHeader(rows, columns, samplesPerPixel, bitsAllocated);
                    planes = [.. Enumerable.Range(0, _components).Select(_ => new int[_width * _height])];
                    break;
                case 0xFFF8:
                    ReadPresetParameters(length);
                    break;
                case 0xFFDD:
                    if (U16() != 0) throw Error("restart intervals are not supported");
                    break;
                case 0xFFDA:
                    if (planes is null) throw Error("scan before the frame header");
                    _pos = DecodeScan(planes, decoded, segmentEnd);
                    continue;
                case 0xFFF9 or (>= 0xFFC0 and <= 0xFFCF) when marker is not (0xFFC4 or 0xFFC8 or 0xFFCC):
                    throw Error($"frame type 0x{marker:X4} is not JPEG-LS");
            }
            _pos = segmentEnd;
        }
        if (planes is null) throw Error("no frame header");
        for (var c = 0; c < _components; c++)
            if (!decoded[c]) throw Error($"no scan for component {_componentIds[c]}");
        return CodecOutput.Interleave(planes, bitsAllocated);
    }

    private void ReadFrameHeader(int rows, int columns, int samplesPerPixel, int bitsAllocated)
    {
        _precision = U8();
        _height = U16();
        _width = U16();
        _components = U8();
        if (_width != columns || _height != rows || _components != samplesPerPixel)
            throw Error($"frame is {_width} × {_height} × {_components}, the data set says {columns} × {rows} × {samplesPerPixel}");
        if (_precision is < 2 or > 16 || (_precision > 8 && bitsAllocated < 16)) throw Error($"{_precision}-bit samples in {bitsAllocated}-bit pixels");
        _componentIds = new int[_components];
        for (var c = 0; c < _components; c++)
        {
            _componentIds[c] = U8();
            if (U8() != 0x11) throw Error("sub-sampled components are not supported");
            U8(); // Tq: unused in JPEG-LS
        }
    }

    private void ReadPresetParameters(int length)
    {
        var id = U8();
        if (id != 1) throw Error($"preset parameters of type {id} (mapping tables) are not supported");
        if (length < 11) throw Error("preset coding parameters segment is too short");
        _presetMaxVal = U16();
        _presetT1 = U16();
        _presetT2 = U16();
        _presetT3 = U16();
        _presetReset = U16();
    }

    /// <summary>Decodes one scan (all its components) and returns the position of the marker that follows it.</summary>
    private int DecodeScan(int[][] planes, bool[] decoded, int dataStart)
    {
        var count = U8();
        if (count is < 1 or > 4) throw Error($"a scan of {count} components");
        var members = new int[count];
        for (var i = 0; i < count; i++)
        {
            var id = U8();
            members[i] = Array.IndexOf(_componentIds, id);
            if (members[i] < 0) throw Error($"scan names component {id}, which the frame does not have");
            if (U8() != 0) throw Error("mapping tables are not supported");
        }
        _near = U8();
        var interleave = U8();
        if ((U8() & 0x0F) != 0) throw Error("point transform is not supported");
        if (interleave > 2 || (interleave == 0) != (count == 1)) throw Error($"interleave mode {interleave} with {count} component(s)");
        SetParameters();

        _pos = dataStart;
        _readPos = dataStart;
        _cache = 0;
        _cacheBits = _padBits = 0;
        _previousFF = false;
        if (interleave == 2) DecodeSampleInterleaved(planes, members);
        else DecodeLines(planes, members);
        foreach (var m in members) decoded[m] = true;

        // The scan ends at the next marker: 0xFF followed by a byte ≥ 0x80 (a data 0xFF is followed by a stuffed 0 bit).
        for (var i = Math.Max(_pos, _readPos - 2); i + 1 < _data.Length; i++)
            if (_data[i] == 0xFF && _data[i + 1] >= 0x80 && _data[i + 1] != 0xFF) return i;
        throw Error("no marker after the scan");
    }

    private void SetParameters()
    {
        _maxVal = _presetMaxVal != 0 ? _presetMaxVal : (1 << _precision) - 1;
        if (_near > Math.Min(255, _maxVal / 2)) throw Error($"NEAR {_near} for MAXVAL {_maxVal}");
        _range = (_maxVal + 2 * _near) / (2 * _near + 1) + 1;
        _qbpp = 32 - BitOperations.LeadingZeroCount((uint)(_range - 1));
        var bpp = Math.Max(2, 32 - BitOperations.LeadingZeroCount((uint)_maxVal));
        _limit = 2 * (bpp + Math.Max(8, bpp));
        // Default thresholds (T.87 C.2.4.1.1), each replaced by a preset value when one was given.
        int t1, t2, t3;
        if (_maxVal >= 128)
        {
            var factor = (Math.Min(_maxVal, 4095) + 128) / 256;
            t1 = Clamp(factor * (3 - 2) + 2 + 3 * _near, _near + 1);
            t2 = Clamp(factor * (7 - 3) + 3 + 5 * _near, t1);
            t3 = Clamp(factor * (21 - 4) + 4 + 7 * _near, t2);
        }
        else
        {
            var factor = 256 / (_maxVal + 1);
            t1 = Clamp(Math.Max(2, 3 / factor + 3 * _near), _near + 1);
            t2 = Clamp(Math.Max(3, 7 / factor + 5 * _near), t1);
            t3 = Clamp(Math.Max(4, 21 / factor + 7 * _near), t2);
        }
        _t1 = _presetT1 != 0 ? _presetT1 : t1;
        _t2 = _presetT2 != 0 ? _presetT2 : t2;
        _t3 = _presetT3 != 0 ? _presetT3 : t3;
        _reset = _presetReset != 0 ? _presetReset : ResetDefault;
        if (_t1 > _t2 || _t2 > _t3 || _reset < 3) throw Error($"preset thresholds {_t1}/{_t2}/{_t3}, reset {_reset}");

        var a = Math.Max(2, (_range + 32) / 64);
        Array.Fill(_a, a);
        Array.Clear(_b);
        Array.Clear(_c);
        Array.Fill(_n, 1);
        Array.Clear(_nn);
        _runIndex = 0;
    }

    private int Clamp(int value, int low) => value > _maxVal || value < low ? low : value;

    /// <summary>Interleave modes none and line: each component's lines in turn, run index kept per component.</summary>
    private void DecodeLines(int[][] planes, int[] members)
    {
        var width = _width;
        var previous = members.Select(_ => new int[width + 2]).ToArray();
        var current = members.Select(_ => new int[width + 2]).ToArray();
        var runIndex = new int[members.Length];
        for (var y = 0; y < _height; y++)
        {
            for (var m = 0; m < members.Length; m++)
            {
                var (prev, cur) = (previous[m], current[m]);
                // Edges (T.87 A.2.1): Rd at the last column is Rb; Ra at the first column is Rb, and Rc there is the
                // first sample two lines up (left in cur[0] when the previous line was decoded).
                prev[width + 1] = prev[width];
                cur[0] = prev[1];
                _runIndex = runIndex[m];
                DecodeLine(prev, cur);
                runIndex[m] = _runIndex;
                cur.AsSpan(1, width).CopyTo(planes[members[m]].AsSpan(y * width, width));
                (previous[m], current[m]) = (cur, prev);
            }
        }
    }

    private void DecodeLine(int[] prev, int[] cur)
    {
        for (var x = 1; x <= _width;)
        {
            var (ra, rb, rc, rd) = (cur[x - 1], prev[x], prev[x - 1], prev[x + 1]);
            var qs = Context(rd - rb, rb - rc, rc - ra);
            if (qs == 0)
            {
                x += DecodeRun(prev, cur, x);
                continue;
            }
            cur[x++] = DecodeRegular(qs, Predict(ra, rb, rc));
        }
    }

    /// <summary>A run of Ra, then (unless the line ended) one run-interruption sample; returns the samples decoded.</summary>
    private int DecodeRun(int[] prev, int[] cur, int x)
    {
        var ra = cur[x - 1];
        var count = RunLength(_width - x + 1);
        cur.AsSpan(x, count).Fill(ra);
        if (count == _width - x + 1) return count;
        var at = x + count;
        cur[at] = DecodeInterruption(ra, prev[at], RunInterruptionType(ra, prev[at]));
        _runIndex = Math.Max(0, _runIndex - 1);
        return count + 1;
    }

    /// <summary>Run length (T.87 A.7.1.2): 1 bits for whole runs of 2^J, then a 0 bit and J bits for the rest.</summary>
    private int RunLength(int remaining)
    {
        var count = 0;
        while (ReadBits(1) == 1)
        {
            var n = Math.Min(1 << J[_runIndex], remaining - count);
            count += n;
            if (n == 1 << J[_runIndex]) _runIndex = Math.Min(31, _runIndex + 1);
            if (count == remaining) return count;
        }
        count += ReadBits(J[_runIndex]);
        if (count > remaining) throw Error($"a run of {count} samples where {remaining} remain in the line");
        return count;
    }

    private int RunInterruptionType(int ra, int rb) => Math.Abs(ra - rb) <= _near ? 1 : 0;

    /// <summary>Interleave mode sample: the components of a pixel in turn, one run over all of them.</summary>
    private void DecodeSampleInterleaved(int[][] planes, int[] members)
    {
        var width = _width;
        var k = members.Length;
        var previous = members.Select(_ => new int[width + 2]).ToArray();
        var current = members.Select(_ => new int[width + 2]).ToArray();
        var qs = new int[k];
        var ra = new int[k];
        for (var y = 0; y < _height; y++)
        {
            for (var m = 0; m < k; m++)
            {
                previous[m][width + 1] = previous[m][width];
                current[m][0] = previous[m][1];
            }
            for (var x = 1; x <= width;)
            {
                var run = true;
                for (var m = 0; m < k; m++)
                {
                    var (prev, cur) = (previous[m], current[m]);
                    ra[m] = cur[x - 1];
                    qs[m] = Context(prev[x + 1] - prev[x], prev[x] - prev[x - 1], prev[x - 1] - cur[x - 1]);
                    run &= qs[m] == 0;
                }
                if (run)
                {
                    var count = RunLength(width - x + 1);
                    for (var m = 0; m < k; m++) current[m].AsSpan(x, count).Fill(ra[m]);
                    x += count;
                    if (x > width) break;
                    // Each component's interruption sample, predicted from Rb in the first run-interruption context
                    // (as CharLS, which wrote the reference files, codes sample-interleaved runs).
                    for (var m = 0; m < k; m++) current[m][x] = DecodeInterruption(ra[m], previous[m][x], 0);
                    _runIndex = Math.Max(0, _runIndex - 1);
                    x++;
                    continue;
                }
                for (var m = 0; m < k; m++)
                {
                    var (prev, cur) = (previous[m], current[m]);
                    cur[x] = DecodeRegular(qs[m], Predict(cur[x - 1], prev[x], prev[x - 1]));
                }
                x++;
            }
            for (var m = 0; m < k; m++)
            {
                current[m].AsSpan(1, width).CopyTo(planes[members[m]].AsSpan(y * width, width));
                (previous[m], current[m]) = (current[m], previous[m]);
            }
        }
    }

    /// <summary>Quantised gradients as one signed context number, (Q1·9 + Q2)·9 + Q3 (T.87 A.3).</summary>
    private int Context(int d1, int d2, int d3) => (Quantize(d1) * 9 + Quantize(d2)) * 9 + Quantize(d3);

    private int Quantize(int d) =>
        d <= -_t3 ? -4 : d <= -_t2 ? -3 : d <= -_t1 ? -2 : d < -_near ? -1 : d <= _near ? 0 : d < _t1 ? 1 : d < _t2 ? 2 : d < _t3 ? 3 : 4;

    /// <summary>The median edge detector (T.87 A.4.1).</summary>
    private static int Predict(int ra, int rb, int rc) =>
        rc >= Math.Max(ra, rb) ? Math.Min(ra, rb) : rc <= Math.Min(ra, rb) ? Math.Max(ra, rb) : ra + rb - rc;

    /// <summary>A sample in regular mode (T.87 A.4–A.6): corrected prediction, Golomb-coded error, context update.</summary>
    private int DecodeRegular(int qs, int predicted)
    {
        var sign = qs < 0 ? -1 : 1;
        var q = qs * sign;
        var px = Math.Clamp(predicted + sign * _c[q], 0, _maxVal);
        var k = GolombParameter(_n[q], _a[q]);
        var mapped = DecodeMapped(k, _limit);
        var error = (mapped & 1) == 0 ? mapped >> 1 : -((mapped + 1) >> 1);
        if (k == 0 && _near == 0 && 2 * _b[q] <= -_n[q]) error = -error - 1; // the inverted mapping of A.5.2

        _b[q] += error * (2 * _near + 1);
        _a[q] += Math.Abs(error);
        if (_n[q] == _reset)
        {
            _a[q] >>= 1;
            _b[q] = _b[q] >= 0 ? _b[q] >> 1 : -((1 - _b[q]) >> 1);
            _n[q] >>= 1;
        }
        _n[q]++;
        if (_b[q] <= -_n[q])
        {
            _b[q] += _n[q];
            if (_c[q] > -128) _c[q]--;
            if (_b[q] <= -_n[q]) _b[q] = -_n[q] + 1;
        }
        else if (_b[q] > 0)
        {
            _b[q] -= _n[q];
            if (_c[q] < 127) _c[q]++;
            if (_b[q] > 0) _b[q] = 0;
        }
        return Reconstruct(px, error * sign);
    }

    /// <summary>The sample that ends a run (T.87 A.7.2), in run-interruption context 365 + <paramref name="type"/>.</summary>
    private int DecodeInterruption(int ra, int rb, int type)
    {
        var q = RegularContexts + type;
        var temp = type == 1 ? _a[q] + (_n[q] >> 1) : _a[q];
        var k = GolombParameter(_n[q], temp);
        var mapped = DecodeMapped(k, _limit - J[_runIndex] - 1);
        var t = mapped + type;
        var map = t & 1;
        var magnitude = (t + map) >> 1;
        var error = (k != 0 || 2 * _nn[type] >= _n[q]) == (map == 1) ? -magnitude : magnitude;

        if (error < 0) _nn[type]++;
        _a[q] += (mapped + 1 - type) >> 1;
        if (_n[q] == _reset)
        {
            _a[q] >>= 1;
            _n[q] >>= 1;
            _nn[type] >>= 1;
        }
        _n[q]++;

        if (type == 1) return Reconstruct(ra, error);
        return Reconstruct(rb, ra > rb ? -error : error);
    }

    private int GolombParameter(int n, int a)
    {
        var k = 0;
        while ((n << k) < a)
            if (++k > 24) throw Error("context statistics out of range (corrupt stream)");
        return k;
    }

    /// <summary>A limited-length Golomb code (T.87 A.5.3): unary high part, k low bits, or an escape with qbpp bits.</summary>
    private int DecodeMapped(int k, int limit)
    {
        var escape = limit - _qbpp - 1;
        var high = ReadUnary(escape);
        if (high < escape) return (high << k) | ReadBits(k);
        return ReadBits(_qbpp) + 1;
    }

    /// <summary>Prediction plus the de-quantised error, brought back into range modulo RANGE, clamped (T.87 A.4.4).</summary>
    private int Reconstruct(int px, int error)
    {
        var step = 2 * _near + 1;
        var rx = px + error * step;
        if (rx < -_near) rx += _range * step;
        else if (rx > _maxVal + _near) rx -= _range * step;
        return Math.Clamp(rx, 0, _maxVal);
    }

    private void Fill()
    {
        while (_cacheBits <= 56)
        {
            var valid = 8;
            int b;
            if (_readPos >= _data.Length || (_previousFF && _data[_readPos] >= 0x80))
            {
                // The scan's data ended (a marker or the end of the stream): zeros, but never many.
                if ((_padBits += 8) > 64) throw Error("the scan ends before the image is complete");
                b = 0;
            }
            else
            {
                b = _data[_readPos++];
                if (_previousFF) valid = 7; // the stuffed zero bit
                _previousFF = b == 0xFF;
            }
            _cache |= (ulong)(b & ((1 << valid) - 1)) << (64 - _cacheBits - valid);
            _cacheBits += valid;
        }
    }

    private int ReadBits(int n)
    {
        if (n == 0) return 0;
        if (_cacheBits < n) Fill();
        var value = (int)(_cache >> (64 - n));
        _cache <<= n;
        _cacheBits -= n;
        return value;
    }

    /// <summary>Counts 0 bits up to the next 1 bit (which is consumed); more than <paramref name="max"/> is corrupt.</summary>
    private int ReadUnary(int max)
    {
        var zeros = 0;
        while (true)
        {
            if (_cacheBits == 0) Fill();
            var lz = BitOperations.LeadingZeroCount(_cache);
            if (lz < _cacheBits)
            {
                zeros += lz;
                _cache <<= lz + 1;
                _cacheBits -= lz + 1;
                if (zeros > max) throw Error("a code longer than the limit (corrupt stream)");
                return zeros;
            }
            zeros += _cacheBits;
            _cache = 0;
            _cacheBits = 0;
            if (zeros > max) throw Error("a code longer than the limit (corrupt stream)");
        }
    }
}
