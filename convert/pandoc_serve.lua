-- Tearsheet's warm pandoc: one `pandoc lua` process serves many conversions.
--
-- Request on stdin:  "<from> <to> <size>\n" then <size> bytes of input.
-- Reply on stdout:   "ok <size>\n" or "error <size>\n", then <size> bytes
--                    (the output, or pandoc's reason in one line).
-- arg[1] is the reference.docx for docx output.
--
-- Readers run sandboxed (an empty file list: they open nothing). Writers cannot be
-- sandboxed from Lua, so a document whose images are not `data:` URLs is refused:
-- Tearsheet inlines every image through its own sandbox before it writes.

local reference_doc = arg[1]
local stdin, stdout = io.stdin, io.stdout

local function inlined_only(doc)
  return doc:walk {
    Image = function (image)
      if not image.src:match('^data:') then
        error('image not loaded through the sandbox: ' .. image.src:sub(1, 80), 0)
      end
    end,
  }
end

local function convert(from, to, input)
  -- standalone: a reader may read the document's own metadata (RST's title and docinfo fields)
  local doc = pandoc.read(input, from, { standalone = true }, {})
  if to == 'json' then
    return pandoc.write(doc, 'json')
  end
  if to == 'html-mathml' then -- HTML with formulas as MathML (for EPUB)
    return pandoc.write(doc, 'html', { html_math_method = 'mathml' })
  end
  return pandoc.write(inlined_only(doc), to, { reference_doc = reference_doc })
end

local function reply(status, body)
  stdout:write(status, ' ', #body, '\n', body)
  stdout:flush()
end

while true do
  local header = stdin:read('l')
  if not header then break end
  local from, to, size = header:match('^(%S+) (%S+) (%d+)$')
  if not from then
    reply('error', 'malformed request')
    break
  end
  local input = size == '0' and '' or stdin:read(tonumber(size))
  local ok, result = pcall(convert, from, to, input or '')
  if ok then
    reply('ok', result)
  else
    -- One line, without the Lua traceback pandoc adds to errors.
    local reason = tostring(result):gsub('%s*stack traceback:.*$', ''):gsub('%s+', ' ')
    reply('error', reason)
  end
end
