#include "screenshot.h"

#include <wx/bitmap.h>
#include <wx/dcmemory.h>
#include <wx/dcscreen.h>
#include <wx/gdicmn.h>
#include <wx/image.h>
#include <wx/window.h>

namespace marginalia::gui {

bool save_screenshot(wxWindow& window, const std::filesystem::path& file) {
  // Under GTK 3 a wxClientDC can't be read back, but the screen can: copy the window's rectangle
  // from it. Nothing may cover the window (true under Xvfb, where there is no window manager).
  window.Update();
  const wxRect area = window.GetScreenRect().Intersect(wxRect(wxGetDisplaySize()));
  if (area.IsEmpty()) return false;
  wxBitmap bitmap(area.GetSize());
  {
    wxScreenDC screen;
    wxMemoryDC memory(bitmap);
    memory.Blit(0, 0, area.width, area.height, &screen, area.x, area.y);
  }
  if (!wxImage::FindHandler(wxBITMAP_TYPE_PNG)) wxImage::AddHandler(new wxPNGHandler);
  return bitmap.ConvertToImage().SaveFile(wxString::FromUTF8(file.string()), wxBITMAP_TYPE_PNG);
}

}  // namespace marginalia::gui
