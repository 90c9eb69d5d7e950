-- Nested integer loops: arithmetic, compare and branch, no calls. Same program as loops.kiln.
local n = 10000
local s = 0
for i = 0, n - 1 do
  for j = 0, n - 1 do
    s = s + (i * j) % 7 + (i ~ j)
  end
end
print(s)
