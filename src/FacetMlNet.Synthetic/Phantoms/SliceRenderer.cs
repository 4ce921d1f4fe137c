namespace FacetMlNet.Synthetic.Phantoms;

/// <summary>Renders axial slices of a level phantom: partial volume along z, kernel blur, noise.</summary>
internal static class SliceRenderer
{
    /// <summary>
    /// One slice, row-major, in the table's units. Posterior elements are sampled at several depths within the
    /// slice thickness (partial volume), the rest once; then the kernel blur and Gaussian noise are applied.
    /// </summary>
    public static float[] Render(LevelPhantom phantom, TissueTable table, int matrix, double x0, double y0, double spacing,
        double z, double thickness, double blurMm, double noiseSigma, SeededRandom rng, bool rectifyNoise)
    {
        var image = new float[matrix * matrix];
        ReadOnlySpan<double> subZ = [-thickness / 3, 0, thickness / 3];
        ReadOnlySpan<double> subXY = [-spacing / 4, spacing / 4];
        for (var r = 0; r < matrix; r++)
        {
            var y = y0 + r * spacing;
            for (var c = 0; c < matrix; c++)
            {
                var x = x0 + c * spacing;
                if (!phantom.VariesWithZ(x, y))
                {
                    image[r * matrix + c] = table[phantom.Classify(x, y, z)];
                    continue;
                }
                // 2 × 2 in-plane × 3 through-plane samples: a 1 mm joint space spans only 2–3 pixels.
                var sum = 0f;
                foreach (var dz in subZ)
                    foreach (var dy in subXY)
                        foreach (var dx in subXY)
                            sum += table[phantom.Classify(x + dx, y + dy, z + dz)];
                image[r * matrix + c] = sum / (subZ.Length * subXY.Length * subXY.Length);
            }
        }
        if (blurMm > 0) GaussianBlur(image, matrix, blurMm / spacing);
        for (var i = 0; i < image.Length; i++)
        {
            var v = image[i] + (float)rng.Gaussian(0, noiseSigma);
            image[i] = rectifyNoise ? Math.Abs(v) : v; // MR magnitude images are never negative
        }
        return image;
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
