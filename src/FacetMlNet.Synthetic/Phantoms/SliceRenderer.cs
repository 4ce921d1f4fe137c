namespace FacetMlNet.Synthetic.Phantoms;

/// <summary>Renders axial slices of a level phantom: partial volume along z, kernel blur, noise.</summary>
internal static class SliceRenderer
{
    /// <summary>
    /// The slices of one level at the given z (relative to the joint plane), row-major, in the table's units. The
    /// level is a prism except around the joints, so everything else is classified once for all slices; the joints
    /// are sampled 2 × 2 in-plane and at two depths within the slice thickness (partial volume). Then the kernel blur
    /// and Gaussian noise are applied per slice.
    /// </summary>
    public static float[][] RenderSeries(LevelPhantom phantom, TissueTable table, int matrix, double x0, double y0, double spacing,
        IReadOnlyList<double> zs, double thickness, double blurMm, double noiseSigma, Func<int, SeededRandom> noiseFor, bool rectifyNoise)
    {
        var prism = new float[matrix * matrix];
        var joints = new List<int>();
        for (var r = 0; r < matrix; r++)
        {
            var y = y0 + r * spacing;
            for (var c = 0; c < matrix; c++)
            {
                var x = x0 + c * spacing;
                if (phantom.VariesWithZ(x, y)) joints.Add(r * matrix + c);
                else prism[r * matrix + c] = table[phantom.Classify(x, y, 0)];
            }
        }
        ReadOnlySpan<double> subXY = [-spacing / 4, spacing / 4];
        var slices = new float[zs.Count][];
        for (var k = 0; k < zs.Count; k++)
        {
            var image = (float[])prism.Clone();
            ReadOnlySpan<double> subZ = [zs[k] - thickness / 4, zs[k] + thickness / 4];
            foreach (var i in joints)
            {
                var x = x0 + (i % matrix) * spacing;
                var y = y0 + (i / matrix) * spacing;
                var sum = 0f;
                foreach (var z in subZ)
                    foreach (var dy in subXY)
                        foreach (var dx in subXY)
                            sum += table[phantom.Classify(x + dx, y + dy, z)];
                image[i] = sum / (subZ.Length * subXY.Length * subXY.Length);
            }
            if (blurMm > 0) GaussianBlur(image, matrix, blurMm / spacing);
            var rng = noiseFor(k);
            for (var i = 0; i < image.Length; i += 2)
            {
                var (g0, g1) = rng.GaussianPair();
                image[i] = Noisy(image[i], g0);
                if (i + 1 < image.Length) image[i + 1] = Noisy(image[i + 1], g1);
            }
            slices[k] = image;
        }
        return slices;

        float Noisy(float value, double gaussian)
        {
            var v = value + (float)(gaussian * noiseSigma);
            return rectifyNoise ? Math.Abs(v) : v; // MR magnitude images are never negative
        }
    }

    /// <summary>Separable Gaussian blur with edge clamping.</summary>
    internal static void GaussianBlur(float[] image, int n, double sigma)
    {
        var radius = Math.Max(1, (int)Math.Ceiling(2.5 * sigma));
        var kernel = new float[2 * radius + 1];
        var total = 0f;
        for (var i = -radius; i <= radius; i++) total += kernel[i + radius] = (float)Math.Exp(-i * i / (2 * sigma * sigma));
        for (var i = 0; i < kernel.Length; i++) kernel[i] /= total;
        var temp = new float[image.Length];
        for (var r = 0; r < n; r++)
            for (var c = 0; c < n; c++)
            {
                var s = 0f;
                for (var k = -radius; k <= radius; k++) s += kernel[k + radius] * image[r * n + Math.Clamp(c + k, 0, n - 1)];
                temp[r * n + c] = s;
            }
        for (var r = 0; r < n; r++)
            for (var c = 0; c < n; c++)
            {
                var s = 0f;
                for (var k = -radius; k <= radius; k++) s += kernel[k + radius] * temp[Math.Clamp(r + k, 0, n - 1) * n + c];
                image[r * n + c] = s;
            }
    }
}
