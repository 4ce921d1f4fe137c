namespace FacetMlNet.Dicom.Codecs;

/// <summary>
/// JPEG lossless, non-hierarchical, Huffman (ITU T.81 Annex H; DICOM processes 14 and 14 SV1), all seven
/// predictors, point transform, restart intervals, interleaved components. Written here because JpegLibrary 0.4.32
/// predicts the first line wrongly for predictors 2–7. Output: native little-endian bytes, components interleaved.
/// </summary>
internal sealed class LosslessJpegDecoder
{
    private sealed class HuffmanTable
    {
        // Canonical code: for each length, the first code, the count and the index of the first value.
        public readonly int[] MinCode = new int[17], MaxCode = new int[18], ValPtr = new int[17];
        public byte[] Values = [];
    }

    private readonly byte[] _data;
    private readonly string? _file;
    private readonly DicomTransferSyntax _syntax;
    private readonly HuffmanTable?[] _dc = new HuffmanTable?[4];
    private int _pos, _precision, _width, _height, _components, _restartInterval;
    private int[] _componentIds = [];

    private LosslessJpegDecoder(byte[] data, string? file, DicomTransferSyntax syntax)
    {
        _data = data;
        _file = file;
        _syntax = syntax;
    }

    /// <summary>True when the stream's frame header is SOF3 (lossless, Huffman).</summary>
    public static bool IsLossless(ReadOnlySpan<byte> stream)
    {
        for (var i = 2; i + 3 < stream.Length;)
        {
            if (stream[i] != 0xFF) return false;
            var marker = stream[i + 1];
            if (marker == 0xC3) return true;
            if (marker is 0xC0 or 0xC1 or 0xC2 or 0xDA) return false;
            i += 2 + (stream[i + 2] << 8 | stream[i + 3]);
        }
        return false;
    }

    public static byte[] Decode(ReadOnlyMemory<byte> stream, int rows, int columns, int samplesPerPixel, int bitsAllocated, string? file, DicomTransferSyntax syntax) =>
        new LosslessJpegDecoder(stream.ToArray(), file, syntax).Run(rows, columns, samplesPerPixel, bitsAllocated);

    private DicomCodecException Error(string problem) => new(_file, _syntax, $"lossless JPEG at byte {_pos}: {problem}");

    private int U16()
    {
        if (_pos + 2 > _data.Length) throw Error("the stream ends inside a marker segment");
        var v = _data[_pos] << 8 | _data[_pos + 1];
        _pos += 2;
        return v;
    }

    private byte[] Run(int rows, int columns, int samplesPerPixel, int bitsAllocated)
    {
        if (U16() != 0xFFD8) throw Error("no start-of-image marker");
        while (true)
        {
            var marker = U16();
            if (marker == 0xFFD9) throw Error("end of image before any scan");
            if ((marker & 0xFF00) != 0xFF00) throw Error($"expected a marker, found 0x{marker:X4}");
            var length = U16() - 2;
            if (length < 0 || _pos + length > _data.Length) throw Error($"marker segment of length {length + 2} runs past the end");
            var segment = _pos;
            switch (marker)
            {
                case 0xFFC3:
                    _precision = _data[segment];
                    _height = _data[segment + 1] << 8 | _data[segment + 2];
                    _width = _data[segment + 3] << 8 | _data[segment + 4];
                    _components = _data[segment + 5];
                    _componentIds = [.. Enumerable.Range(0, _components).Select(c => (int)_data[segment + 6 + 3 * c])];
                    if (_width != columns || _height != rows || _components != samplesPerPixel)
                        throw Error($"frame is {_width} × {_height} × {_components}, the data set says {columns} × {rows} × {samplesPerPixel}");
                    if (_precision is < 2 or > 16 || (_precision > 8 && bitsAllocated < 16)) throw Error($"{_precision}-bit samples in {bitsAllocated}-bit pixels");
                    break;
                case 0xFFC4:
                    ReadHuffmanTables(segment, segment + length);
                    break;
                case 0xFFDD:
                    _restartInterval = _data[segment] << 8 | _data[segment + 1];
                    break;
                case 0xFFDA:
                    _pos = segment + length;
                    return DecodeScan(segment, bitsAllocated > 8 ? 2 : 1);
                case >= 0xFFC0 and <= 0xFFCF when marker is not (0xFFC4 or 0xFFC8 or 0xFFCC):
                    throw Error($"frame type 0x{marker:X4} is not lossless Huffman");
            }
            _pos = segment + length;
        }
    }

    private void ReadHuffmanTables(int at, int end)
    {
        while (at < end)
        {
            var tc = _data[at] >> 4;
            var th = _data[at] & 15;
            if (th > 3 || at + 17 > end) throw Error("malformed Huffman table");
            var table = new HuffmanTable();
            var counts = _data.AsSpan(at + 1, 16);
            var total = 0;
            foreach (var c in counts) total += c;
            if (at + 17 + total > end) throw Error("Huffman table values run past their segment");
            table.Values = _data.AsSpan(at + 17, total).ToArray();
            int code = 0, k = 0;
            for (var len = 1; len <= 16; len++)
            {
                table.ValPtr[len] = k;
                table.MinCode[len] = code;
                code += counts[len - 1];
                k += counts[len - 1];
                table.MaxCode[len] = counts[len - 1] == 0 ? -1 : code - 1;
                code <<= 1;
            }
            table.MaxCode[17] = int.MaxValue;
            if (tc == 0) _dc[th] = table;
            at += 17 + total;
        }
    }

    // Entropy-coded data reader with byte stuffing.
    private int _bitBuffer, _bitCount;
    private bool _hitMarker;

    private int ReadBit()
    {
        if (_bitCount == 0)
        {
            var b = 0;
            if (!_hitMarker && _pos < _data.Length)
            {
                b = _data[_pos];
                if (b == 0xFF)
                {
                    var next = _pos + 1 < _data.Length ? _data[_pos + 1] : 0;
                    if (next == 0x00) _pos += 2;
                    else { _hitMarker = true; b = 0; }
                }
                else _pos++;
            }
            _bitBuffer = b;
            _bitCount = 8;
        }
        _bitCount--;
        return (_bitBuffer >> _bitCount) & 1;
    }

    private int Receive(int bits)
    {
        var v = 0;
        for (var i = 0; i < bits; i++) v = v << 1 | ReadBit();
        return v;
    }

    private int DecodeDifference(HuffmanTable table)
    {
        var code = ReadBit();
        var len = 1;
        while (code > table.MaxCode[len])
        {
            code = code << 1 | ReadBit();
            if (++len > 16) throw Error("invalid Huffman code");
        }
        var ssss = table.Values[table.ValPtr[len] + code - table.MinCode[len]];
        if (ssss == 0) return 0;
        if (ssss == 16) return 32768;
        var diff = Receive(ssss);
        return diff < 1 << (ssss - 1) ? diff - (1 << ssss) + 1 : diff; // EXTEND (T.81 F.2.2.1)
    }

    private byte[] DecodeScan(int sos, int bytesPerSample)
    {
        var ns = _data[sos];
        if (ns != _components) throw Error($"scan has {ns} of {_components} components (non-interleaved scans are not supported)");
        var tables = new HuffmanTable[ns];
        var order = new int[ns];
        for (var i = 0; i < ns; i++)
        {
            order[i] = Array.IndexOf(_componentIds, (int)_data[sos + 1 + 2 * i]);
            tables[i] = _dc[_data[sos + 2 + 2 * i] >> 4] ?? throw Error("scan refers to a missing Huffman table");
        }
        var predictor = _data[sos + 1 + 2 * ns];
        var pointTransform = _data[sos + 3 + 2 * ns] & 15;
        if (predictor is < 1 or > 7) throw Error($"predictor {predictor}");
        var mask = (1 << _precision) - 1;
        var samples = new int[_height * _width * ns];
        var initial = 1 << (_precision - pointTransform - 1);
        var mcu = 0;
        var restartRow = 0; // first row of the current restart interval uses the first-line rules
        for (var y = 0; y < _height; y++)
            for (var x = 0; x < _width; x++)
            {
                if (_restartInterval > 0 && mcu > 0 && mcu % _restartInterval == 0)
                {
                    // Skip to after the RSTn marker and reset prediction.
                    _bitCount = 0;
                    _hitMarker = false;
                    while (_pos + 1 < _data.Length && !(_data[_pos] == 0xFF && _data[_pos + 1] is >= 0xD0 and <= 0xD7)) _pos++;
                    _pos += 2;
                    restartRow = y;
                    if (x != 0) throw Error("restart interval not at a row boundary");
                }
                for (var c = 0; c < ns; c++)
                {
                    var comp = order[c];
                    int Sample(int yy, int xx) => samples[(yy * _width + xx) * ns + comp];
                    int prediction;
                    if (y == restartRow && x == 0) prediction = initial;
                    else if (y == restartRow) prediction = Sample(y, x - 1);
                    else if (x == 0) prediction = Sample(y - 1, x);
                    else
                    {
                        int ra = Sample(y, x - 1), rb = Sample(y - 1, x), rc = Sample(y - 1, x - 1);
                        prediction = predictor switch
                        {
                            1 => ra,
                            2 => rb,
                            3 => rc,
                            4 => ra + rb - rc,
                            5 => ra + ((rb - rc) >> 1),
                            6 => rb + ((ra - rc) >> 1),
                            _ => (ra + rb) >> 1,
                        };
                    }
                    samples[(y * _width + x) * ns + comp] = (prediction + DecodeDifference(tables[c])) & mask;
                }
                mcu++;
            }
        var output = new byte[samples.Length * bytesPerSample];
        for (var i = 0; i < samples.Length; i++)
        {
            var v = samples[i] << pointTransform;
            output[i * bytesPerSample] = (byte)v;
            if (bytesPerSample == 2) output[i * bytesPerSample + 1] = (byte)(v >> 8);
        }
        return output;
    }
}
