using System.Security.Cryptography;
using System.Text;
using FacetMlNet.Dicom.IO;

namespace FacetMlNet.Cohorts;

/// <summary>
/// Replaces patient identifiers by a salted hash in every output (crops manifest, caches, metrics, leaderboards).
/// The salt stays with the user, so only they can map a pseudonym back.
/// </summary>
public sealed class Pseudonymizer(string salt)
{
    /// <summary>The pseudonym of a patient identifier, e.g. <c>P-3f9a1c02b7</c>.</summary>
    public string Pseudonymize(string patientId)
    {
        var hash = HMACSHA256.HashData(Encoding.UTF8.GetBytes(salt), Encoding.UTF8.GetBytes(patientId));
        return "P-" + Convert.ToHexStringLower(hash.AsSpan(0, 5));
    }

    /// <summary>
    /// Reads the salt from <paramref name="path"/>, or creates it with 128 random bits when absent. Keep the file
    /// private: with it, pseudonyms can be linked back to identifiers.
    /// </summary>
    public static Pseudonymizer FromSaltFile(string path)
    {
        if (!File.Exists(path)) AtomicFile.WriteAllText(path, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
        return new Pseudonymizer(File.ReadAllText(path).Trim());
    }
}
