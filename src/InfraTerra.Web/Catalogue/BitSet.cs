using System.Numerics;

namespace InfraTerra.Web.Catalogue;

/// <summary>Sets of catalogue positions as bit arrays: an AND of two filters over 100,000 notices is 1,563 words.</summary>
internal static class BitSet
{
    public static ulong[] New(int size) => new ulong[(size + 63) >> 6];

    public static ulong[] Of(IEnumerable<int> positions, int size)
    {
        var bits = New(size);
        foreach (var position in positions)
        {
            Set(bits, position);
        }

        return bits;
    }

    public static void Set(ulong[] bits, int position) => bits[position >> 6] |= 1UL << (position & 63);

    public static void Clear(ulong[] bits, int position) => bits[position >> 6] &= ~(1UL << (position & 63));

    public static bool Has(ulong[] bits, int position) => (bits[position >> 6] & (1UL << (position & 63))) != 0;

    /// <summary>Keeps in <paramref name="target"/> only what is also in <paramref name="other"/>; false when nothing is left.</summary>
    public static bool IntersectWith(ulong[] target, ulong[] other)
    {
        ulong any = 0;
        for (var i = 0; i < target.Length; i++)
        {
            target[i] &= other[i];
            any |= target[i];
        }

        return any != 0;
    }

    public static int Count(ulong[] bits)
    {
        var count = 0;
        foreach (var word in bits)
        {
            count += BitOperations.PopCount(word);
        }

        return count;
    }

    /// <summary>Positions in ascending order.</summary>
    public static IEnumerable<int> Positions(ulong[] bits)
    {
        for (var i = 0; i < bits.Length; i++)
        {
            var word = bits[i];
            while (word != 0)
            {
                var bit = BitOperations.TrailingZeroCount(word);
                yield return (i << 6) + bit;
                word &= word - 1;
            }
        }
    }
}
