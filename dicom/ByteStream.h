#pragma once

// Internal to icanscan_dicom: bytes in order from a file, memory or a raw-deflate stream, with exact reads, peeks and
// skips (for CheckDicomStructure's walk, which must never trust a length before checking it).

#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

namespace icanscan::dicom::detail
{

/** Bytes in order, from a file, memory or an inflating stream. */
class ByteStream
{
public:
  virtual ~ByteStream() = default;
  /** Up to `n` bytes; 0 at the end. */
  virtual std::size_t ReadSome(std::uint8_t * out, std::size_t n) = 0;
  /** Skips `n` bytes; false when fewer remain. */
  virtual bool SkipForward(std::uint64_t n)
  {
    std::uint8_t buffer[4096];
    while (n > 0)
    {
      const std::size_t got = ReadSome(buffer, static_cast<std::size_t>(std::min<std::uint64_t>(n, sizeof(buffer))));
      if (got == 0)
        return false;
      n -= got;
    }
    return true;
  }
  /** Bytes left, when known without reading them. */
  virtual std::optional<std::uint64_t> Remaining() const { return std::nullopt; }
  /** Why reading stopped early (an inflate error), or empty. */
  virtual std::string Error() const { return {}; }
};

class MemoryStream : public ByteStream
{
public:
  MemoryStream(const std::uint8_t * data, std::size_t size)
    : m_Data(data)
    , m_Size(size)
  {
  }
  std::size_t ReadSome(std::uint8_t * out, std::size_t n) override
  {
    n = std::min(n, m_Size - m_Position);
    if (n > 0)
      std::memcpy(out, m_Data + m_Position, n);
    m_Position += n;
    return n;
  }
  bool SkipForward(std::uint64_t n) override
  {
    if (n > m_Size - m_Position)
    {
      m_Position = m_Size;
      return false;
    }
    m_Position += static_cast<std::size_t>(n);
    return true;
  }
  std::optional<std::uint64_t> Remaining() const override { return m_Size - m_Position; }

private:
  const std::uint8_t * m_Data;
  std::size_t m_Size;
  std::size_t m_Position = 0;
};

class FileStream : public ByteStream
{
public:
  FileStream(std::FILE * file, std::uint64_t size)
    : m_File(file)
    , m_Size(size)
  {
  }
  std::size_t ReadSome(std::uint8_t * out, std::size_t n) override
  {
    const std::size_t got = std::fread(out, 1, n, m_File);
    m_Position += got;
    return got;
  }
  bool SkipForward(std::uint64_t n) override
  {
    if (n > m_Size - std::min(m_Position, m_Size))
    {
      m_Position = m_Size;
      std::fseek(m_File, 0, SEEK_END);
      return false;
    }
    m_Position += n;
    return ::fseeko(m_File, static_cast<off_t>(m_Position), SEEK_SET) == 0;
  }
  std::optional<std::uint64_t> Remaining() const override { return m_Size - std::min(m_Position, m_Size); }

private:
  std::FILE * m_File;
  std::uint64_t m_Size;
  std::uint64_t m_Position = 0;
};

/** Raw deflate (RFC 1951, as the Deflated Explicit VR Little Endian transfer syntax uses) over another stream. */
class InflateStream : public ByteStream
{
public:
  InflateStream(ByteStream & source, std::uint64_t limit)
    : m_Source(source)
    , m_Limit(limit)
  {
    m_Ok = inflateInit2(&m_Zlib, -MAX_WBITS) == Z_OK;
    if (!m_Ok)
      m_Error = "cannot start inflating the deflated dataset";
  }
  ~InflateStream() override
  {
    if (m_Ok)
      inflateEnd(&m_Zlib);
  }
  std::size_t ReadSome(std::uint8_t * out, std::size_t n) override
  {
    if (!m_Ok || m_Finished || n == 0)
      return 0;
    m_Zlib.next_out = out;
    m_Zlib.avail_out = static_cast<uInt>(std::min<std::size_t>(n, 1u << 20));
    const uInt wanted = m_Zlib.avail_out;
    while (m_Zlib.avail_out == wanted)
    {
      if (m_Zlib.avail_in == 0)
      {
        m_Zlib.next_in = m_Input;
        m_Zlib.avail_in = static_cast<uInt>(m_Source.ReadSome(m_Input, sizeof(m_Input)));
        if (m_Zlib.avail_in == 0)
        {
          m_Error = "the deflated dataset ends before its deflate stream does (truncated file)";
          m_Finished = true;
          break;
        }
      }
      const int status = inflate(&m_Zlib, Z_NO_FLUSH);
      if (status == Z_STREAM_END)
      {
        m_Finished = true;
        break;
      }
      if (status != Z_OK && status != Z_BUF_ERROR)
      {
        m_Error = std::string("the deflated dataset is damaged (zlib: ") + (m_Zlib.msg ? m_Zlib.msg : "error") + ")";
        m_Finished = true;
        break;
      }
    }
    const std::size_t got = wanted - m_Zlib.avail_out;
    m_Produced += got;
    if (m_Produced > m_Limit)
    {
      m_Error = "the deflated dataset inflates to more than " + std::to_string(m_Limit) + " bytes";
      m_Finished = true;
      return 0;
    }
    return got;
  }
  std::string Error() const override { return m_Error; }

private:
  ByteStream & m_Source;
  std::uint64_t m_Limit;
  z_stream m_Zlib{};
  std::uint8_t m_Input[16384];
  std::uint64_t m_Produced = 0;
  bool m_Ok = false;
  bool m_Finished = false;
  std::string m_Error;
};

/** Exact reads, peeks and skips over a ByteStream, with the position counted. Itself a ByteStream (peeked bytes
 * first), so that a stream can continue from it: the deflated dataset after a meta header. */
class Cursor : public ByteStream
{
public:
  explicit Cursor(ByteStream & stream)
    : m_Stream(stream)
  {
  }
  std::size_t ReadSome(std::uint8_t * out, std::size_t n) override
  {
    std::size_t got = 0;
    while (got < n && !m_Peeked.empty())
    {
      out[got++] = m_Peeked.front();
      m_Peeked.erase(m_Peeked.begin());
    }
    if (got < n)
      got += m_Stream.ReadSome(out + got, n - got);
    m_Position += got;
    return got;
  }
  /** Reads exactly `n` (<= 16) bytes; false (and how many were available in `got`) at the end. */
  bool Read(std::uint8_t * out, std::size_t n, std::size_t * got = nullptr)
  {
    std::size_t have = 0;
    while (have < n && !m_Peeked.empty())
    {
      out[have++] = m_Peeked.front();
      m_Peeked.erase(m_Peeked.begin());
    }
    while (have < n)
    {
      const std::size_t r = m_Stream.ReadSome(out + have, n - have);
      if (r == 0)
        break;
      have += r;
    }
    m_Position += have;
    if (got != nullptr)
      *got = have;
    return have == n;
  }
  bool Peek(std::uint8_t * out, std::size_t n)
  {
    while (m_Peeked.size() < n)
    {
      std::uint8_t byte;
      if (m_Stream.ReadSome(&byte, 1) == 0)
        return false;
      m_Peeked.push_back(byte);
    }
    std::copy(m_Peeked.begin(), m_Peeked.begin() + static_cast<std::ptrdiff_t>(n), out);
    return true;
  }
  bool Skip(std::uint64_t n)
  {
    const std::uint64_t fromPeek = std::min<std::uint64_t>(n, m_Peeked.size());
    m_Peeked.erase(m_Peeked.begin(), m_Peeked.begin() + static_cast<std::ptrdiff_t>(fromPeek));
    m_Position += fromPeek;
    n -= fromPeek;
    if (n == 0)
      return true;
    const auto before = m_Stream.Remaining();
    const bool ok = m_Stream.SkipForward(n);
    m_Position += ok ? n : before.value_or(0);
    return ok;
  }
  std::uint64_t Position() const { return m_Position; }
  std::optional<std::uint64_t> Remaining() const override
  {
    const auto r = m_Stream.Remaining();
    return r ? std::optional<std::uint64_t>(*r + m_Peeked.size()) : std::nullopt;
  }
  bool AtEnd()
  {
    std::uint8_t byte;
    return !Peek(&byte, 1);
  }
  ByteStream & Stream() { return m_Stream; }

private:
  ByteStream & m_Stream;
  std::vector<std::uint8_t> m_Peeked;
  std::uint64_t m_Position = 0;
};

} // namespace icanscan::dicom::detail
