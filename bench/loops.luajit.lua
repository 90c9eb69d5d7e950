-- loops.lua for LuaJIT, whose Lua 5.1 has no ~ operator: the same program with bit.bxor.
local bxor = bit.bxor
local n = 10000
local s = 0
for i = 0, n - 1 do
  for j = 0, n - 1 do
    s = s + (i * j) % 7 + bxor(i, j)
  end
end
print(s)
